package org.smmulab.verify.scenario;

import java.util.List;
import org.smmulab.driver.invs.InvalidationType;

/**
 * The tags one instance must have: either exactly a list of tags, or only how many ASIDs and VMIDs
 * are allocated.
 *
 * @param exact the live tags, one per domain using the instance, in any order; {@code null} when
 *     only counts are checked
 * @param asids the number of ASIDs allocated, or {@code null}
 * @param vmids the number of VMIDs allocated, or {@code null}
 */
public record TagExpectation(List<Tag> exact, Integer asids, Integer vmids) {
  /** Copies the list. */
  public TagExpectation {
    exact = exact == null ? null : List.copyOf(exact);
  }

  /**
   * One expected tag; components other than the domain are optional ({@code null}: not checked).
   *
   * @param domain the domain holding the tag
   * @param type {@code S1_ASID} or {@code S2_VMID}
   * @param id the ASID or VMID
   * @param users the attachments using it
   */
  public record Tag(String domain, InvalidationType type, Integer id, Integer users) {}
}
