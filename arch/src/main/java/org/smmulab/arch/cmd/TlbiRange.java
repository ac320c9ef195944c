package org.smmulab.arch.cmd;

import org.smmulab.arch.pte.Granule;

/**
 * The address part of a TLBI command: the address and the range fields NUM, SCALE, TG, TTL and
 * LEAF, exactly as encoded (no unit conversion). Values wider than their field are truncated when
 * encoded, as the kernel's {@code FIELD_PREP} does.
 *
 * <p>With {@code tg == 0} the command invalidates every entry whose span contains {@code address};
 * otherwise it covers {@code (num + 1) * 2^scale} pages of the granule {@code tg} encodes (1 4K, 2
 * 16K, 3 64K) starting at {@code address}.
 *
 * @param address the virtual address or IPA in bytes; bits below 12 are not encoded
 * @param num range: number of blocks minus one (0..31)
 * @param scale range: log2 of the pages per block (0..31)
 * @param tg the range granule encoding, 0 for a single address
 * @param ttl the level of the leaf entries (1..3), 0 for no hint
 * @param leaf whether only leaf entries need removing (walk-cache entries may stay)
 */
public record TlbiRange(long address, int num, int scale, int tg, int ttl, boolean leaf) {

  /** A single-address invalidation (TG = 0, no level hint). */
  public static TlbiRange single(long address, boolean leaf) {
    return new TlbiRange(address, 0, 0, 0, 0, leaf);
  }

  /**
   * A range of {@code (num + 1) * 2^scale} pages of {@code granule} at {@code address}.
   *
   * @param ttl the leaf level hint (0 for none)
   */
  public static TlbiRange of(
      long address, Granule granule, int num, int scale, int ttl, boolean leaf) {
    return new TlbiRange(address, num, scale, granule.tlbiEncoding(), ttl, leaf);
  }

  /** Whether this is a range (TG != 0) rather than a single address. */
  public boolean isRange() {
    return tg != 0;
  }

  /** The granule of a range, or {@code null} for a single address. */
  public Granule granule() {
    return Granule.fromTlbi(tg);
  }

  /** Pages a range covers, {@code (num + 1) * 2^scale}; 0 for a single address. */
  public long pages() {
    return isRange() ? (num + 1L) << scale : 0;
  }
}
