package org.smmulab.driver.attach;

import java.util.ArrayList;
import java.util.List;
import org.smmulab.driver.invs.Invalidation;
import org.smmulab.driver.invs.InvalidationArray;
import org.smmulab.driver.invs.InvalidationType;
import org.smmulab.driver.tags.CacheTag;

/**
 * The invalidations one attachment contributes to a domain's array (Linux {@code
 * arm_smmu_master_build_invs}): the cache tag first, then one ATC entry per StreamID when ATS is
 * on. The list comes out sorted by construction — one instance, types in enum order, StreamIDs
 * ascending — ready for {@link InvalidationArray#merge} or {@link InvalidationArray#unref}.
 *
 * <p>The kernel keeps one scratch list per master, allocated at probe and refilled under the group
 * mutex, because it must not allocate in the attach path's atomic sections; here each attach builds
 * a fresh list of at most 1 + (number of StreamIDs) entries, which also means two attaches of one
 * master never share a list.
 */
public final class MasterInvalidations {
  private MasterInvalidations() {}

  /**
   * Builds the list.
   *
   * @param tag the domain's cache tag on the master's instance
   * @param atsEnabled whether the attachment uses ATS
   * @param ssid the SubstreamID attached (0 for the whole stream); only ATS entries carry it
   * @param rangePageShift log2 of the domain's smallest page size when the instance has range
   *     invalidation, else 0
   * @param e2h whether stage-1 invalidations use the EL2 opcodes
   */
  public static InvalidationArray build(
      Master master, CacheTag tag, boolean atsEnabled, int ssid, int rangePageShift, boolean e2h) {
    List<Invalidation> entries = new ArrayList<>();
    if (tag.type() == InvalidationType.S1_ASID) {
      entries.add(Invalidation.s1Asid(master.smmu(), tag.id(), rangePageShift, e2h));
    } else if (tag.type() == InvalidationType.S2_VMID) {
      entries.add(Invalidation.s2Vmid(master.smmu(), tag.id(), rangePageShift));
    } else {
      throw new IllegalArgumentException(tag + " is not an S1_ASID or S2_VMID tag");
    }
    if (atsEnabled) {
      for (int sid : master.streamIds()) {
        entries.add(Invalidation.ats(master.smmu(), sid, ssid));
      }
    }
    return InvalidationArray.of(entries.toArray(Invalidation[]::new));
  }
}
