package org.smmulab.verify.scenario;

import org.smmulab.driver.pgtable.Prot;

/**
 * Maps {@code [iova, iova + size)} of a domain to {@code [pa, pa + size)}.
 *
 * @param at where the step is written
 * @param domain the domain
 * @param iova the first input address, aligned to the domain's granule
 * @param pa the first physical address, aligned to the domain's granule
 * @param size bytes, a positive multiple of the granule
 * @param prot {@link Prot} flags
 * @param expectedError the expected failure, or {@code null}
 */
public record MapStep(
    Position at, String domain, long iova, long pa, long size, int prot, ErrorKind expectedError)
    implements OperationStep {
  @Override
  public String op() {
    return "map";
  }

  @Override
  public String describe() {
    return String.format(
        "map %s 0x%x +%s -> 0x%x %s", domain, iova, Numbers.size(size), pa, Prot.describe(prot));
  }
}
