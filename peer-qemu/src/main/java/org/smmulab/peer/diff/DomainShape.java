package org.smmulab.peer.diff;

import org.smmulab.arch.pte.Granule;

/**
 * The page-table format of one stage-1 domain of a peer run.
 *
 * @param name the domain's name in reports
 * @param granule the translation granule
 * @param ias input address size in bits
 * @param oas output address size in bits, or {@link #SMMU_OAS} for as wide as the SMMU reports (at
 *     most 48 bits)
 */
public record DomainShape(String name, Granule granule, int ias, int oas) {
  /** The {@link #oas} that follows the SMMU's output size. */
  public static final int SMMU_OAS = 0;

  /** A 4 KiB-granule domain with 48-bit input and the SMMU's output size, as seeded runs use. */
  public static DomainShape widest(String name) {
    return new DomainShape(name, Granule.SIZE_4K, 48, SMMU_OAS);
  }

  /** The output size to give the driver on an SMMU with {@code smmuOasBits}. */
  public int oasOn(int smmuOasBits) {
    return oas == SMMU_OAS ? Math.min(48, smmuOasBits) : oas;
  }
}
