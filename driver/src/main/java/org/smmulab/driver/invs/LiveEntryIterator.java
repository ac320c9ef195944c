package org.smmulab.driver.invs;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A view of one array for code that reads it beside writers, the way the invalidation walker does:
 * the live entries (users != 0) below the slot count read once, with an acquire load, when the
 * iterator is created. Each user count is read with an opaque load, so an entry that {@code unref}
 * trashes while the walk runs may or may not be returned; returning it only costs a redundant
 * invalidation. Safe to use from any thread without the tag lock; not itself shareable between
 * threads.
 */
public final class LiveEntryIterator implements Iterator<Invalidation> {
  private final Invalidation[] entries;
  private final int end;
  private int next;
  private int lastIndex = -1;

  LiveEntryIterator(Invalidation[] entries, int end) {
    this.entries = entries;
    this.end = end;
    this.next = skipTrash(0);
  }

  private int skipTrash(int from) {
    int i = from;
    while (i < end && entries[i].users() == 0) {
      i++;
    }
    return i;
  }

  /** The slot count this walk was bounded by (the array's {@code numInvs} when it started). */
  public int end() {
    return end;
  }

  /** The slot index of the entry last returned by {@link #next()}, or -1 before the first. */
  public int lastIndex() {
    return lastIndex;
  }

  @Override
  public boolean hasNext() {
    return next < end;
  }

  /**
   * The next live entry without advancing (the walker's look-ahead for ending a batch).
   *
   * @throws NoSuchElementException at the end
   */
  public Invalidation peek() {
    if (next >= end) {
      throw new NoSuchElementException("no live entry after slot " + lastIndex);
    }
    return entries[next];
  }

  @Override
  public Invalidation next() {
    Invalidation entry = peek();
    lastIndex = next;
    next = skipTrash(next + 1);
    return entry;
  }
}
