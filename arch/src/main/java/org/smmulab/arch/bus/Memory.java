package org.smmulab.arch.bus;

/**
 * Physical memory as a bus master sees it: little-endian, byte addressed.
 *
 * <p>Contracts every implementation keeps:
 *
 * <ul>
 *   <li>An aligned 64-bit access ({@link #read64}, {@link #write64}, {@link #compareAndSet64}) is
 *       single-copy atomic and may race with any other access from any thread: a reader sees either
 *       the old or the new whole value, never a mix. The SMMU walks tables while the driver writes
 *       them, so this is the only guarantee the hitless STE/CD update relies on.
 *   <li>An aligned 32-bit access is single-copy atomic too. Byte and bulk accesses are not atomic
 *       as a whole.
 *   <li>Writes by one thread become visible to another thread no later than that thread's next
 *       acquire of anything the writer released afterwards (the Java memory model's
 *       happens-before); {@code read64} and {@code write64} themselves have acquire and release
 *       semantics.
 *   <li>An address that does not exist, or a misaligned 32/64-bit access, raises {@link BusAbort};
 *       nothing else is thrown.
 * </ul>
 */
public interface Memory {
  /** Reads the naturally aligned 64-bit word at {@code pa}. */
  long read64(long pa) throws BusAbort;

  /** Writes the naturally aligned 64-bit word at {@code pa}. */
  void write64(long pa, long value) throws BusAbort;

  /**
   * Atomically replaces the aligned 64-bit word at {@code pa} with {@code update} if it equals
   * {@code expected} (what hardware access-flag and dirty-state updates need).
   *
   * @return whether the word was replaced
   */
  boolean compareAndSet64(long pa, long expected, long update) throws BusAbort;

  /** Reads the naturally aligned 32-bit word at {@code pa}. */
  int read32(long pa) throws BusAbort;

  /** Writes the naturally aligned 32-bit word at {@code pa}. */
  void write32(long pa, int value) throws BusAbort;

  /** Reads one byte. */
  byte read8(long pa) throws BusAbort;

  /** Writes one byte. */
  void write8(long pa, byte value) throws BusAbort;

  /**
   * Reads {@code length} bytes starting at {@code pa} into {@code dst[offset..]}.
   *
   * @throws BusAbort if any byte of the range does not exist; {@code dst} may then be partly filled
   */
  void read(long pa, byte[] dst, int offset, int length) throws BusAbort;

  /**
   * Writes {@code length} bytes from {@code src[offset..]} starting at {@code pa}.
   *
   * @throws BusAbort if any byte of the range does not exist; nothing is written in that case
   */
  void write(long pa, byte[] src, int offset, int length) throws BusAbort;

  /** Size of the physical address space in bits: valid addresses are {@code [0, 2^bits)}. */
  int addressBits();
}
