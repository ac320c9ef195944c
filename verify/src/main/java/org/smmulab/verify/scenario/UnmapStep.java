package org.smmulab.verify.scenario;

/**
 * Unmaps up to {@code size} bytes of a domain from {@code iova}; the driver invalidates them on
 * every instance and ATC the domain is attached through before the step ends.
 *
 * @param at where the step is written
 * @param domain the domain
 * @param iova the first input address, aligned to the domain's granule
 * @param size bytes, a positive multiple of the granule
 * @param expectedError the expected failure, or {@code null}
 */
public record UnmapStep(Position at, String domain, long iova, long size, ErrorKind expectedError)
    implements OperationStep {
  @Override
  public String op() {
    return "unmap";
  }

  @Override
  public String describe() {
    return String.format("unmap %s 0x%x +%s", domain, iova, Numbers.size(size));
  }
}
