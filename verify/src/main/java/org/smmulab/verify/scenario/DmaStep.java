package org.smmulab.verify.scenario;

/**
 * One DMA from a device, judged by the oracle and, optionally, against an expectation.
 *
 * @param at where the step is written
 * @param device the device issuing it
 * @param pasid the SubstreamID it carries, or 0 for none
 * @param iova the first byte's address
 * @param size bytes, within one 4 KiB page
 * @param write whether it writes (else it reads)
 * @param expect what it must do, or {@code null} when only the oracle judges it
 */
public record DmaStep(
    Position at,
    String device,
    int pasid,
    long iova,
    int size,
    boolean write,
    DmaExpectation expect)
    implements Step {
  @Override
  public String op() {
    return "dma";
  }

  @Override
  public String describe() {
    return String.format(
        "dma %s%s %s 0x%x (%d bytes)",
        device, pasid != 0 ? " PASID " + pasid : "", write ? "write" : "read", iova, size);
  }
}
