package org.smmulab.driver.tags;

import org.smmulab.driver.invs.InvalidationType;
import org.smmulab.driver.invs.SmmuId;

/**
 * A domain's IOTLB tag on one instance, as found in (or about to enter) the domain's invalidation
 * array. A copy: the array entry is the tag's only home.
 *
 * @param smmu the instance
 * @param type {@link InvalidationType#S1_ASID} or {@link InvalidationType#S2_VMID}
 * @param id the ASID or VMID
 * @param users attachments using it when it was found; 0 for a freshly allocated tag
 */
public record CacheTag(SmmuId smmu, InvalidationType type, int id, int users) {

  /** Whether the tag was just allocated and no attachment uses it yet. */
  public boolean fresh() {
    return users == 0;
  }
}
