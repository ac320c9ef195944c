package org.smmulab.verify.scenario;

import org.smmulab.hw.pcie.DmaSegment;

/**
 * What one DMA did.
 *
 * @param completed whether every byte moved
 * @param pa the physical address its first byte reached, or -1 when it faulted
 * @param via what served the translation ({@code null} when it faulted)
 * @param fault the event type of the fault ({@code F_TRANSLATION}, ...), {@link
 *     DmaExpectation#UNRECORDED} when no event was recorded, {@code null} when it completed
 * @param detail the event record or the reason, {@code null} when it completed
 */
public record DmaOutcome(
    boolean completed, long pa, DmaSegment.Source via, String fault, String detail) {
  /** E.g. {@code "-> 0x80000000 via WALK"} or {@code "fault F_TRANSLATION"}. */
  public String describe() {
    return completed ? String.format("-> 0x%x via %s", pa, via) : "fault " + fault;
  }
}
