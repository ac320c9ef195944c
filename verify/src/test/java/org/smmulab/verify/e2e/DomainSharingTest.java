package org.smmulab.verify.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.smmulab.arch.pte.Granule;
import org.smmulab.arch.pte.Stage;
import org.smmulab.driver.SmmuDriver;
import org.smmulab.driver.attach.AttachException;
import org.smmulab.driver.attach.Master;
import org.smmulab.driver.domain.BlockedDomain;
import org.smmulab.driver.domain.PagingDomain;
import org.smmulab.driver.invs.InvalidationArray;
import org.smmulab.driver.pgtable.PageTableConfig;
import org.smmulab.driver.queue.QueueListener;
import org.smmulab.hw.smmu.SmmuConfig;
import org.smmulab.hw.smmu.SmmuPresets;

/**
 * Which instances may share a domain's page table (the cache-tag series' {@code
 * arm_smmu_domain_can_share}, with review R17's granule rule): the stage must be implemented, the
 * domain's granule (the lowest page size it uses) supported, its output size within the instance's,
 * and a coherent walk needs a coherent instance. A refused attach changes nothing.
 */
class DomainSharingTest {
  private static final SmmuConfig FULL = SmmuPresets.mmu700Like();
  private static final SmmuConfig S1_ONLY = FULL.toBuilder().stages(true, false).build();
  private static final SmmuConfig ONLY_64K =
      FULL.toBuilder().granules(EnumSet.of(Granule.SIZE_64K)).build();
  private static final SmmuConfig OAS_40 = FULL.toBuilder().oasBits(40).build();
  private static final SmmuConfig NOT_COHERENT = FULL.toBuilder().coherent(false).build();

  @Test
  void eachRuleRefusesOnItsOwnAndTheRestShare() throws Exception {
    try (Machine m =
        new Machine(QueueListener.NONE, FULL, S1_ONLY, ONLY_64K, OAS_40, NOT_COHERENT)) {
      PagingDomain s1 = m.driver.newPagingDomain("s1", Stage.STAGE_1, Granule.SIZE_4K, 48, 48);
      PagingDomain s2 = m.driver.newPagingDomain("s2", Stage.STAGE_2, Granule.SIZE_4K, 40, 40);
      PagingDomain s1Oas40 =
          m.driver.newPagingDomain("s1-40", Stage.STAGE_1, Granule.SIZE_4K, 40, 40);
      PagingDomain nonCoherent =
          m.driver.newPagingDomain(
              "nc",
              PageTableConfig.of(Stage.STAGE_1, Granule.SIZE_4K, 40, 40).withCoherentWalk(false));
      PagingDomain s164k =
          m.driver.newPagingDomain("s1-64k", Stage.STAGE_1, Granule.SIZE_64K, 48, 40);

      assertThat(shares(m, s1)).containsExactly(true, true, false, false, false);
      assertThat(shares(m, s2)).containsExactly(true, false, false, true, false);
      assertThat(shares(m, s1Oas40)).containsExactly(true, true, false, true, false);
      assertThat(shares(m, nonCoherent)).containsExactly(true, true, false, true, true);
      assertThat(shares(m, s164k)).containsExactly(true, true, true, true, false);
    }
  }

  private static boolean[] shares(Machine m, PagingDomain domain) {
    boolean[] out = new boolean[m.devices.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = SmmuDriver.canShare(domain, m.devices.get(i));
    }
    return out;
  }

  @Test
  void aRefusedAttachLeavesTheMasterTheArrayTheTagsAndTheQueueAlone() throws Exception {
    try (Machine m = new Machine(QueueListener.NONE, FULL, S1_ONLY)) {
      PagingDomain s2 = m.driver.newPagingDomain("s2", Stage.STAGE_2, Granule.SIZE_4K, 40, 40);
      Master here = m.driver.addMaster("here", m.devices.get(0).id(), new int[] {1}, null, 0);
      Master there = m.driver.addMaster("there", m.devices.get(1).id(), new int[] {2}, null, 0);
      m.driver.attach(here, s2);
      InvalidationArray before = s2.invalidations().get();
      Map<String, Long> commands = m.smmus.get(1).statistics().commandsByOpcode();

      assertThatThrownBy(() -> m.driver.attach(there, s2))
          .isInstanceOf(AttachException.class)
          .hasMessageContaining("smmu1")
          .extracting(e -> ((AttachException) e).kind())
          .isEqualTo(AttachException.Kind.CANNOT_SHARE);

      assertThat(m.driver.domainOf(there)).isEqualTo(BlockedDomain.INSTANCE);
      assertThat(s2.invalidations().get()).isSameAs(before);
      assertThat(m.driver.tagUsage(m.devices.get(1).id()).vmids()).isZero();
      assertThat(m.smmus.get(1).statistics().commandsByOpcode()).isEqualTo(commands);
    }
  }
}
