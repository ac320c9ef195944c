package org.smmulab.arch.regs;

import java.util.Objects;

/**
 * The value of a PROD or CONS register of a queue of {@code 2^log2Size} entries, with the queue
 * arithmetic both sides of a queue need. Immutable.
 *
 * <p>Bits [log2Size-1:0] hold the entry index and bit log2Size the wrap flag, which toggles each
 * time the index passes the end of the queue; incrementing counts modulo {@code 2^(log2Size+1)}
 * over {wrap, index}. A queue is empty when PROD and CONS agree in index and wrap, and full when
 * the indexes agree but the wraps differ. All bits above the wrap flag (CMDQ_CONS.ERR,
 * EVTQ_PROD.OVFLG, ...) are the pointer's <em>flags</em>: arithmetic carries them over unchanged.
 *
 * <p>Queues hold at most {@code 2^19} entries (the pointer field is bits [19:0]); the caller clamps
 * a programmed LOG2SIZE to the IDR1 limit before building pointers.
 */
public final class QueuePointer {
  /** The largest supported log2 of the queue size. */
  public static final int MAX_LOG2_SIZE = 19;

  private final int log2Size;
  private final int raw;

  private QueuePointer(int log2Size, int raw) {
    this.log2Size = log2Size;
    this.raw = raw;
  }

  /**
   * The pointer held in {@code registerValue} for a queue of {@code 2^log2Size} entries; every bit
   * pattern is accepted and kept.
   *
   * @throws IllegalArgumentException if {@code log2Size} is not 0..{@value #MAX_LOG2_SIZE}
   */
  public static QueuePointer of(int log2Size, int registerValue) {
    if (log2Size < 0 || log2Size > MAX_LOG2_SIZE) {
      throw new IllegalArgumentException(
          "queue log2 size must be 0.." + MAX_LOG2_SIZE + ", got " + log2Size);
    }
    return new QueuePointer(log2Size, registerValue);
  }

  /** Index 0, wrap 0, no flags: the reset value. */
  public static QueuePointer zero(int log2Size) {
    return of(log2Size, 0);
  }

  /** log2 of the number of queue entries. */
  public int log2Size() {
    return log2Size;
  }

  /** Number of queue entries. */
  public int size() {
    return 1 << log2Size;
  }

  /** Mask of the index and wrap bits. */
  private int pointerMask() {
    return (2 << log2Size) - 1;
  }

  /** Entry index, 0..size-1. */
  public int index() {
    return raw & (size() - 1);
  }

  /** The wrap flag (bit log2Size). */
  public boolean wrap() {
    return ((raw >>> log2Size) & 1) != 0;
  }

  /** The wrap flag and index together (bits [log2Size:0]). */
  public int wrapAndIndex() {
    return raw & pointerMask();
  }

  /** The bits above the wrap flag, in place (ERR, OVFLG, OVACKFLG, ...). */
  public int flags() {
    return raw & ~pointerMask();
  }

  /** The register value: flags, wrap and index. */
  public int toRegister() {
    return raw;
  }

  /** This pointer with its flag bits replaced by {@code flags} (bits below the flags ignored). */
  public QueuePointer withFlags(int flags) {
    return new QueuePointer(log2Size, (flags & ~pointerMask()) | wrapAndIndex());
  }

  /** This pointer moved on by one entry; flags unchanged. */
  public QueuePointer next() {
    return advance(1);
  }

  /**
   * This pointer moved on by {@code entries}, toggling the wrap flag each time the index passes the
   * end of the queue; flags unchanged.
   *
   * @throws IllegalArgumentException if {@code entries} is negative
   */
  public QueuePointer advance(long entries) {
    if (entries < 0) {
      throw new IllegalArgumentException("cannot move a queue pointer back: " + entries);
    }
    long moved = (wrapAndIndex() + entries) & pointerMask();
    return new QueuePointer(log2Size, flags() | (int) moved);
  }

  /** Whether the queue between {@code prod} and {@code cons} holds no entry. */
  public static boolean isEmpty(QueuePointer prod, QueuePointer cons) {
    checkSameQueue(prod, cons);
    return prod.wrapAndIndex() == cons.wrapAndIndex();
  }

  /** Whether the queue between {@code prod} and {@code cons} holds {@code size} entries. */
  public static boolean isFull(QueuePointer prod, QueuePointer cons) {
    checkSameQueue(prod, cons);
    return prod.index() == cons.index() && prod.wrap() != cons.wrap();
  }

  /**
   * Number of entries produced but not yet consumed: how often {@code cons} must be incremented to
   * reach {@code prod}. It is 0..size for a consistent pair; a larger value (up to {@code
   * 2*size-1}) means PROD is more than one queue ahead of CONS, which only a misbehaving producer
   * can cause and which the architecture leaves unpredictable (see {@link #isConsistent}).
   */
  public static int entries(QueuePointer prod, QueuePointer cons) {
    checkSameQueue(prod, cons);
    return (prod.wrapAndIndex() - cons.wrapAndIndex()) & prod.pointerMask();
  }

  /** Whether {@code prod} is at most one queue ahead of {@code cons}. */
  public static boolean isConsistent(QueuePointer prod, QueuePointer cons) {
    return entries(prod, cons) <= prod.size();
  }

  /**
   * Number of entries the producer may still write before the queue is full: {@code size -
   * entries}, and 0 for an inconsistent pair.
   */
  public static int space(QueuePointer prod, QueuePointer cons) {
    return Math.max(0, prod.size() - entries(prod, cons));
  }

  private static void checkSameQueue(QueuePointer prod, QueuePointer cons) {
    if (prod.log2Size != cons.log2Size) {
      throw new IllegalArgumentException(
          "PROD and CONS of different queue sizes: 2^"
              + prod.log2Size
              + " and 2^"
              + cons.log2Size
              + " entries");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof QueuePointer
        && ((QueuePointer) o).log2Size == log2Size
        && ((QueuePointer) o).raw == raw;
  }

  @Override
  public int hashCode() {
    return Objects.hash(log2Size, raw);
  }

  /** For example {@code "index=5 wrap=1 flags=0x1000000 of 2^10"}. */
  @Override
  public String toString() {
    return "index="
        + index()
        + " wrap="
        + (wrap() ? 1 : 0)
        + (flags() != 0 ? " flags=0x" + Integer.toHexString(flags()) : "")
        + " of 2^"
        + log2Size;
  }
}
