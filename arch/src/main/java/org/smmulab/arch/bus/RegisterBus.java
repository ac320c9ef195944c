package org.smmulab.arch.bus;

/**
 * The MMIO window of one SMMU instance (128 KiB: page 0 at offset 0, page 1 at 0x10000), addressed
 * by byte offset from its base.
 *
 * <p>As on the real bus, an access never fails: offsets that hold no register read as zero and
 * ignore writes (RAZ/WI). 64-bit registers (the *_BASE registers, *_IRQ_CFG0) may be accessed as
 * one 64-bit access or as two 32-bit halves, low half at the lower offset. Implementations are safe
 * for concurrent use; each access is atomic.
 */
public interface RegisterBus {
  /** Reads the 32-bit register at {@code offset}. */
  int read32(long offset);

  /** Writes the 32-bit register at {@code offset}. */
  void write32(long offset, int value);

  /** Reads the 64-bit register at {@code offset}. */
  long read64(long offset);

  /** Writes the 64-bit register at {@code offset}. */
  void write64(long offset, long value);
}
