package org.smmulab.peer;

/**
 * The bytes of a range that differ from a fill value.
 *
 * @param count how many differ
 * @param first offset of the first one from the start of the range (0 when {@code count} is 0)
 * @param last offset of the last one (0 when {@code count} is 0)
 */
public record ScanResult(long count, long first, long last) {
  /** Nothing differs. */
  public static final ScanResult CLEAN = new ScanResult(0, 0, 0);

  @Override
  public String toString() {
    return count == 0
        ? "no byte changed"
        : String.format("%d bytes changed in [+0x%x, +0x%x]", count, first, last);
  }
}
