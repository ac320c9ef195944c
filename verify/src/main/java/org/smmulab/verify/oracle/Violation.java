package org.smmulab.verify.oracle;

/**
 * One violation, with what is needed to replay and understand it.
 *
 * @param kind the class of violation
 * @param device the device (endpoint name), or {@code null} for an invariant
 * @param streamId the StreamID the DMA used
 * @param iova the IOVA of the offending access
 * @param pa the physical address it reached ({@code -1} for a fault)
 * @param start the DMA's start stamp
 * @param end the DMA's end stamp
 * @param source what served the translation (TLB, WALK, ATC, ...), or the fault's reason
 * @param detail a sentence saying what was expected
 */
public record Violation(
    ViolationClass kind,
    String device,
    int streamId,
    long iova,
    long pa,
    long start,
    long end,
    String source,
    String detail) {

  /** A one-line description. */
  public String describe() {
    return String.format(
        "%s: %s sid %d iova 0x%x -> %s at [%d, %d] via %s: %s",
        kind.label(),
        device,
        streamId,
        iova,
        pa < 0 ? "fault" : String.format("0x%x", pa),
        start,
        end,
        source,
        detail);
  }
}
