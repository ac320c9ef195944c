package org.smmulab.driver.pgtable;

/**
 * A map request overlaps a mapping that already exists (the kernel's {@code -EEXIST}). The table is
 * left exactly as it was before the request.
 */
public final class AlreadyMappedException extends Exception {
  private static final long serialVersionUID = 1L;

  private final long iova;

  /**
   * @param iova the first input address of the request that is already mapped
   * @param what what was found there, e.g. "a 2 MiB block at level 2"
   */
  public AlreadyMappedException(long iova, String what) {
    super(String.format("IOVA 0x%x is already mapped: %s", iova, what));
    this.iova = iova;
  }

  /** The first input address of the request that is already mapped. */
  public long iova() {
    return iova;
  }
}
