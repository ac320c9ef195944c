package org.smmulab.driver;

import java.util.HashMap;
import java.util.Map;
import org.smmulab.arch.bus.AtsControl;
import org.smmulab.driver.attach.Master;
import org.smmulab.driver.domain.BlockedDomain;
import org.smmulab.driver.domain.Domain;
import org.smmulab.driver.domain.PagingDomain;
import org.smmulab.driver.smmu.SmmuDevice;
import org.smmulab.driver.tables.CdTable;

/**
 * What the driver knows about one master: its instance, its ATS control, its CD table once it has
 * one, and what it is attached to. Every field is read and written under the driver's tag lock.
 */
final class MasterState {
  final Master master;
  final SmmuDevice smmu;
  final AtsControl ats;
  CdTable cdTable;
  Domain domain = BlockedDomain.INSTANCE;
  boolean atsEnabled;
  final Map<Integer, PagingDomain> pasids = new HashMap<>();

  MasterState(Master master, SmmuDevice smmu, AtsControl ats) {
    this.master = master;
    this.smmu = smmu;
    this.ats = ats;
  }
}
