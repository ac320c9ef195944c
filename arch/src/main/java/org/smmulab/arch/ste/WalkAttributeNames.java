package org.smmulab.arch.ste;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;
import org.smmulab.arch.codec.ValueNames;
import org.smmulab.arch.pte.Granule;

/**
 * Names for the table-walk attribute encodings that STEs and CDs share with the PE's TCR/VTCR:
 * cacheability of walks, shareability, and the two translation granule encodings.
 *
 * <p>The STE's stage-2 fields (S2IR0, S2OR0, S2SH0, S2TG) and the CD's stage-1 fields (IR0, OR0,
 * SH0, TG0, IR1, OR1, SH1, TG1) use these tables, so both structures print the same words.
 */
public final class WalkAttributeNames {
  /** Cacheability 0: Normal Non-cacheable. */
  public static final int NON_CACHEABLE = 0;

  /** Cacheability 1: Write-Back, Read-Allocate, Write-Allocate (the kernel's WBWA). */
  public static final int WRITE_BACK_WRITE_ALLOCATE = 1;

  /** Cacheability 2: Write-Through, Read-Allocate. */
  public static final int WRITE_THROUGH = 2;

  /** Cacheability 3: Write-Back, Read-Allocate, no Write-Allocate. */
  public static final int WRITE_BACK = 3;

  /** Shareability 0: Non-shareable. */
  public static final int NON_SHAREABLE = 0;

  /** Shareability 2: Outer Shareable. */
  public static final int OUTER_SHAREABLE = 2;

  /** Shareability 3: Inner Shareable. */
  public static final int INNER_SHAREABLE = 3;

  /** Walk cacheability (IR0/OR0-style fields): {@code nc, wbwa, wt, wb}. */
  public static final ValueNames CACHEABILITY =
      ValueNames.of(
          NON_CACHEABLE,
          "nc",
          WRITE_BACK_WRITE_ALLOCATE,
          "wbwa",
          WRITE_THROUGH,
          "wt",
          WRITE_BACK,
          "wb");

  /**
   * Shareability (SH0-style fields): {@code nsh, osh, ish}; 1 is reserved (the architecture treats
   * it as non-shareable) and prints as {@code reserved(1)}.
   */
  public static final ValueNames SHAREABILITY =
      ValueNames.of(NON_SHAREABLE, "nsh", OUTER_SHAREABLE, "osh", INNER_SHAREABLE, "ish");

  /** The TG0 / S2TG granule encoding (0 4K, 1 64K, 2 16K; 3 reserved), named as {@link Granule}. */
  public static final ValueNames GRANULE_TG0 = granuleNames(Granule::tg0Encoding);

  /** The CD.TG1 granule encoding (1 16K, 2 4K, 3 64K; 0 reserved), named as {@link Granule}. */
  public static final ValueNames GRANULE_TG1 = granuleNames(Granule::tg1Encoding);

  private WalkAttributeNames() {}

  private static ValueNames granuleNames(ToIntFunction<Granule> encoding) {
    List<Object> pairs = new ArrayList<>();
    for (Granule g : Granule.values()) {
      pairs.add(encoding.applyAsInt(g));
      pairs.add(g.toString());
    }
    return ValueNames.of(pairs.toArray());
  }
}
