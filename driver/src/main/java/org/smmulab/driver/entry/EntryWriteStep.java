package org.smmulab.driver.entry;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * One write pass of an {@link EntryWritePlan}: the qwords it stores (lowest index first), the whole
 * entry as it stands afterwards, and whether a sync follows. Immutable.
 */
public final class EntryWriteStep {
  private final long[] qwords;
  private final int changedMask;
  private final boolean sync;

  EntryWriteStep(long[] qwords, int changedMask, boolean sync) {
    this.qwords = qwords.clone();
    this.changedMask = changedMask;
    this.sync = sync;
  }

  /** The eight qwords of the entry after this step (a fresh copy). */
  public long[] qwords() {
    return qwords.clone();
  }

  /** Qword {@code index} (0 to 7) of the entry after this step. */
  public long qword(int index) {
    return qwords[index];
  }

  /** Bit {@code i} set when this step stores a new value into qword {@code i}. */
  public int changedMask() {
    return changedMask;
  }

  /** Indices of the qwords this step stores, ascending (the order they are written in). */
  public List<Integer> changed() {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < qwords.length; i++) {
      if ((changedMask & (1 << i)) != 0) {
        out.add(i);
      }
    }
    return Collections.unmodifiableList(out);
  }

  /** Whether a sync (configuration invalidation plus CMD_SYNC) follows this step. */
  public boolean sync() {
    return sync;
  }

  @Override
  public String toString() {
    return "write " + changed() + " -> " + Arrays.toString(qwords) + (sync ? ", sync" : "");
  }
}
