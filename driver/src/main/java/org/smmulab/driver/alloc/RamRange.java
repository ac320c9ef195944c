package org.smmulab.driver.alloc;

/**
 * One range of physical RAM, {@code [base, base + size)} in bytes, that the driver may use for its
 * own structures.
 *
 * @param base first byte of the range; a multiple of {@link PageAllocator#MIN_BLOCK_BYTES}
 * @param size length in bytes; a positive multiple of {@link PageAllocator#MIN_BLOCK_BYTES}
 */
public record RamRange(long base, long size) {
  /**
   * @throws IllegalArgumentException if the range is empty, negative, wraps past 2^63, or is not
   *     aligned to {@link PageAllocator#MIN_BLOCK_BYTES}
   */
  public RamRange {
    long unit = PageAllocator.MIN_BLOCK_BYTES;
    if (base < 0 || size <= 0 || base + size < base) {
      throw new IllegalArgumentException(
          String.format("RAM range [0x%x, +0x%x) is empty, negative or wraps", base, size));
    }
    if (base % unit != 0 || size % unit != 0) {
      throw new IllegalArgumentException(
          String.format(
              "RAM range [0x%x, +0x%x): base and size must be multiples of %d bytes",
              base, size, unit));
    }
  }

  /** One past the last byte of the range. */
  public long end() {
    return base + size;
  }

  @Override
  public String toString() {
    return String.format("[0x%x, 0x%x)", base, end());
  }
}
