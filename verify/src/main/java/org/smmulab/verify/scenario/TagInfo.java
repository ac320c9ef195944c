package org.smmulab.verify.scenario;

import org.smmulab.driver.invs.InvalidationType;

/**
 * A live cache tag: the ASID or VMID a domain uses on one instance.
 *
 * @param instance the instance
 * @param type {@code S1_ASID} or {@code S2_VMID}
 * @param id the ASID or VMID
 * @param domain the domain whose invalidation array holds it
 * @param users the attachments using it
 */
public record TagInfo(String instance, InvalidationType type, int id, String domain, int users) {
  /** {@code "ASID 1"} or {@code "VMID 3"}. */
  public String label() {
    return (type == InvalidationType.S1_ASID ? "ASID " : "VMID ") + id;
  }

  /** Whether {@code other} is the same tag of the same domain, whatever its users. */
  public boolean sameTag(TagInfo other) {
    return instance.equals(other.instance)
        && type == other.type
        && id == other.id
        && domain.equals(other.domain);
  }
}
