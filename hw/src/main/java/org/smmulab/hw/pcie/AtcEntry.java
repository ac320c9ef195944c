package org.smmulab.hw.pcie;

import org.smmulab.hw.smmu.txn.Permissions;

/**
 * One translation completion an endpoint cached: the naturally aligned untranslated range {@code
 * [inputBase, inputBase + 2^sizeShift)} maps to {@code [outputBase, ...)} with {@code permissions},
 * for requests with the given PASID (or without one).
 *
 * @param pasidValid whether the entry was obtained by a request carrying a PASID
 * @param pasid the PASID, meaningful only when {@code pasidValid}
 * @param global whether the completion was marked global: it then serves requests with any PASID
 * @param inputBase start of the untranslated range, aligned to its size
 * @param sizeShift log2 of the bytes covered (at least 12)
 * @param outputBase the translated address of {@code inputBase}
 * @param permissions the accesses the completion grants
 */
public record AtcEntry(
    boolean pasidValid,
    int pasid,
    boolean global,
    long inputBase,
    int sizeShift,
    long outputBase,
    Permissions permissions) {

  /** Whether the entry covers {@code address}. */
  public boolean covers(long address) {
    return (address >>> sizeShift) == (inputBase >>> sizeShift);
  }

  /** Whether the entry may serve a request with this PASID state. */
  public boolean serves(boolean requestPasidValid, int requestPasid) {
    if (pasidValid != requestPasidValid) {
      return false;
    }
    return !pasidValid || pasid == requestPasid || global;
  }

  /** The translated address of {@code address}, which the entry must cover. */
  public long translate(long address) {
    return outputBase | (address & ((1L << sizeShift) - 1));
  }

  /** Whether the entry overlaps {@code [start, start + 2^spanShift)}. */
  boolean overlaps(long start, int spanShift) {
    int shift = Math.max(spanShift, sizeShift);
    return shift >= 64 || (start >>> shift) == (inputBase >>> shift);
  }
}
