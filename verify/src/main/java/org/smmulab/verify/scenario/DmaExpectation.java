package org.smmulab.verify.scenario;

import org.smmulab.hw.pcie.DmaSegment;

/**
 * What a DMA must do. Every component is optional ({@code null}: not checked).
 *
 * @param completes whether it must complete ({@code true}) or fault ({@code false})
 * @param pa the physical address its first byte must reach
 * @param fault the event type its fault must record ({@code F_TRANSLATION}, ...), or {@link
 *     #UNRECORDED} for a fault that records no event (an abort STE)
 * @param via what must have served the translation
 */
public record DmaExpectation(Boolean completes, Long pa, String fault, DmaSegment.Source via) {
  /** The {@link #fault} of a fault without an event record. */
  public static final String UNRECORDED = "unrecorded";

  /** The expectation in a few words, e.g. {@code "pa 0x80000000"} or {@code "fault"}. */
  public String describe() {
    StringBuilder out = new StringBuilder();
    if (pa != null) {
      out.append(String.format("pa 0x%x", pa));
    } else if (fault != null) {
      out.append("fault ").append(fault);
    } else if (completes != null) {
      out.append(completes ? "ok" : "fault");
    }
    if (via != null) {
      out.append(out.length() == 0 ? "" : " ").append("via ").append(via);
    }
    return out.toString();
  }
}
