package org.smmulab.hw.smmu.observe;

import org.smmulab.hw.smmu.txn.TranslationOutcome;

/**
 * Counts the outcomes of one instance's translations by status and by the part that decided them.
 * Thread-safe and cheap under contention (one {@link StripedCounter} per cell).
 */
public final class TranslationCounters {
  private final StripedCounter[][] cells =
      new StripedCounter[TranslationOutcome.Status.values().length]
          [TranslationOutcome.Source.values().length];

  /** Creates zeroed counters. */
  public TranslationCounters() {
    for (StripedCounter[] row : cells) {
      for (int i = 0; i < row.length; i++) {
        row[i] = new StripedCounter();
      }
    }
  }

  /** Counts {@code outcome}. */
  public void count(TranslationOutcome outcome) {
    cells[outcome.status().ordinal()][outcome.source().ordinal()].increment();
  }

  /** Outcomes with this status and source. */
  public long get(TranslationOutcome.Status status, TranslationOutcome.Source source) {
    return cells[status.ordinal()][source.ordinal()].sum();
  }

  /** Outcomes with this status, any source. */
  public long get(TranslationOutcome.Status status) {
    long sum = 0;
    for (StripedCounter cell : cells[status.ordinal()]) {
      sum += cell.sum();
    }
    return sum;
  }
}
