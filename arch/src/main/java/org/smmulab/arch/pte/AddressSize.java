package org.smmulab.arch.pte;

import org.smmulab.arch.codec.ValueNames;

/**
 * The 3-bit physical/intermediate address size encoding shared by IDR5.OAS, CD.IPS, STE.S2PS and
 * TCR.IPS/VTCR.PS: 0 = 32 bits, 1 = 36, 2 = 40, 3 = 42, 4 = 44, 5 = 48, 6 = 52; 7 is reserved.
 */
public final class AddressSize {
  private static final int[] BITS = {32, 36, 40, 42, 44, 48, 52};

  /** Names for the encodings, for codecs: {@code "48-bit"}, and {@code reserved(7)}. */
  public static final ValueNames NAMES =
      ValueNames.of(
          0, "32-bit", 1, "36-bit", 2, "40-bit", 3, "42-bit", 4, "44-bit", 5, "48-bit", 6,
          "52-bit");

  private AddressSize() {}

  /** The number of address bits for {@code encoding}, or -1 if it is reserved. */
  public static int bits(long encoding) {
    return encoding >= 0 && encoding < BITS.length ? BITS[(int) encoding] : -1;
  }

  /**
   * The smallest encoding whose size is at least {@code bits} (io-pgtable rounds an OAS up this
   * way), or -1 if {@code bits} exceeds 52.
   */
  public static int encodingFor(int bits) {
    for (int i = 0; i < BITS.length; i++) {
      if (BITS[i] >= bits) {
        return i;
      }
    }
    return -1;
  }
}
