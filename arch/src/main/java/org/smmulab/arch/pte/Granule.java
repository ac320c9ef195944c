package org.smmulab.arch.pte;

/**
 * A translation granule and its level geometry: each level resolves {@code stride = shift - 3}
 * bits, and level {@code L} covers {@code 2^levelShift(L)} bytes per entry.
 *
 * <p>The same granule has different encodings in different places; this type owns all of them.
 */
public enum Granule {
  /** 4 KiB pages; blocks at L1 (1 GiB) and L2 (2 MiB). */
  SIZE_4K(12, 0, 2, 1),
  /** 16 KiB pages; blocks at L2 (32 MiB). */
  SIZE_16K(14, 2, 1, 2),
  /** 64 KiB pages; blocks at L2 (512 MiB). */
  SIZE_64K(16, 1, 3, 3);

  private final int shift;
  private final int tg0;
  private final int tg1;
  private final int tlbiTg;

  Granule(int shift, int tg0, int tg1, int tlbiTg) {
    this.shift = shift;
    this.tg0 = tg0;
    this.tg1 = tg1;
    this.tlbiTg = tlbiTg;
  }

  /** log2 of the granule size. */
  public int shift() {
    return shift;
  }

  /** The granule size in bytes. */
  public long size() {
    return 1L << shift;
  }

  /** Bits resolved per level ({@code shift - 3}). */
  public int stride() {
    return shift - 3;
  }

  /** log2 of the bytes one entry at {@code level} (0..3) maps. */
  public int levelShift(int level) {
    return shift + (3 - level) * stride();
  }

  /** Bytes one entry at {@code level} maps. */
  public long levelSize(int level) {
    return 1L << levelShift(level);
  }

  /**
   * Whether a block descriptor is architecturally allowed at {@code level} without 52-bit (LPA2 or
   * 52-bit OA) extensions: 4K at L1 and L2, 16K and 64K at L2 only.
   */
  public boolean blockAllowed(int level) {
    return this == SIZE_4K ? (level == 1 || level == 2) : level == 2;
  }

  /** The CD.TG0 and STE.S2TG (VTCR.TG0) encoding: 0 4K, 1 64K, 2 16K. */
  public int tg0Encoding() {
    return tg0;
  }

  /** The CD.TG1 encoding: 1 16K, 2 4K, 3 64K. */
  public int tg1Encoding() {
    return tg1;
  }

  /** The TLBI range TG encoding: 1 4K, 2 16K, 3 64K (0 means "not a range"). */
  public int tlbiEncoding() {
    return tlbiTg;
  }

  /** The granule with this TG0/S2TG encoding, or {@code null} for the reserved value 3. */
  public static Granule fromTg0(long encoding) {
    for (Granule g : values()) {
      if (g.tg0 == encoding) {
        return g;
      }
    }
    return null;
  }

  /** The granule with this TG1 encoding, or {@code null} for the reserved value 0. */
  public static Granule fromTg1(long encoding) {
    for (Granule g : values()) {
      if (g.tg1 == encoding) {
        return g;
      }
    }
    return null;
  }

  /** The granule with this TLBI TG encoding, or {@code null} for 0 (no range). */
  public static Granule fromTlbi(long encoding) {
    for (Granule g : values()) {
      if (g.tlbiTg == encoding) {
        return g;
      }
    }
    return null;
  }

  /** The granule of {@code bytes} (4096, 16384, 65536), or {@code null}. */
  public static Granule ofSize(long bytes) {
    for (Granule g : values()) {
      if (g.size() == bytes) {
        return g;
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return (size() >> 10) + "K";
  }
}
