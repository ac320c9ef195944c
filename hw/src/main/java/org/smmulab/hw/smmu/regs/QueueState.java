package org.smmulab.hw.smmu.regs;

/**
 * One queue's registers: base (ADDR and LOG2SIZE already clamped), PROD and CONS as written or
 * advanced. Mutable; written under the register file's lock. The fields are volatile so that
 * software polling PROD or CONS (a driver waiting for CONS to pass its CMD_SYNC, or for queue
 * space) and the command consumer checking for work read them without the lock and never compete
 * for it; each register is written with one store.
 */
final class QueueState {
  final int maxLog2Size;
  final int entryBytes;
  volatile long baseRegister;
  volatile int prod;
  volatile int cons;

  QueueState(int maxLog2Size, int entryBytes) {
    this.maxLog2Size = maxLog2Size;
    this.entryBytes = entryBytes;
  }

  int log2Size() {
    return (int) (baseRegister & 0x1F);
  }

  long baseAddress() {
    return baseRegister & 0x000F_FFFF_FFFF_FFE0L;
  }

  /** The wrap and index bits of a pointer. */
  int pointerMask() {
    return (2 << log2Size()) - 1;
  }

  /** Writes the base register, clamping LOG2SIZE to the IDR1 maximum. */
  void writeBase(long value, long writableMask) {
    long clamped = value & writableMask;
    if ((clamped & 0x1F) > maxLog2Size) {
      clamped = (clamped & ~0x1FL) | maxLog2Size;
    }
    baseRegister = clamped;
  }

  boolean empty() {
    return ((prod ^ cons) & pointerMask()) == 0;
  }

  boolean full() {
    int mask = pointerMask();
    int indexMask = mask >>> 1;
    return ((prod ^ cons) & mask) == indexMask + 1;
  }

  /** The memory address of the entry {@code pointer} indexes. */
  long slotAddress(int pointer) {
    int index = pointer & (pointerMask() >>> 1);
    return baseAddress() + (long) index * entryBytes;
  }

  /** {@code pointer} advanced by {@code n} entries, wrapping; flags above the wrap bit dropped. */
  int advance(int pointer, int n) {
    return (pointer + n) & pointerMask();
  }

  /** {@code pointer} advanced by one entry, flags above the wrap bit kept. */
  int next(int pointer) {
    int mask = pointerMask();
    return (pointer & ~mask) | ((pointer + 1) & mask);
  }
}
