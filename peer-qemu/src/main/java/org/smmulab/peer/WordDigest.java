package org.smmulab.peer;

/**
 * The digest both peers compute over a memory range: FNV-1a with 64-bit words as the unit, {@code h
 * = (h ^ word) * 0x100000001b3} from the offset basis {@code 0xcbf29ce484222325}, words read
 * little-endian in address order. The guest stub's {@code sum} command computes the same value.
 */
public final class WordDigest {
  /** The FNV-1a 64-bit offset basis. */
  public static final long BASIS = 0xcbf29ce484222325L;

  private static final long PRIME = 0x100000001b3L;

  private long hash = BASIS;

  /** Folds one 64-bit word in. */
  public void add(long word) {
    hash = (hash ^ word) * PRIME;
  }

  /** The digest so far. */
  public long value() {
    return hash;
  }
}
