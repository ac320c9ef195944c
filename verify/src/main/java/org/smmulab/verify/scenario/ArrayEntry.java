package org.smmulab.verify.scenario;

import org.smmulab.driver.invs.InvalidationType;

/**
 * One slot of a domain's invalidation array, as the report shows it.
 *
 * @param instance the instance whose command queue receives its commands
 * @param type the kind of invalidation
 * @param id the ASID, VMID or (ATS types) StreamID, unsigned
 * @param ssid the SubstreamID of an ATS entry, else 0
 * @param users the attachments needing it; 0 marks a trash slot awaiting purge
 */
public record ArrayEntry(String instance, InvalidationType type, long id, int ssid, int users) {
  /** E.g. {@code "smmu0 S1_ASID 1 users=2"} or {@code "smmu0 ATS 0x10 ssid=0 users=1"}. */
  public String describe() {
    return instance
        + " "
        + type
        + (type.isAts() ? String.format(" 0x%x ssid=%d", id, ssid) : " " + id)
        + " users="
        + users;
  }
}
