package org.smmulab.bench.invs;

import org.smmulab.arch.cmd.CommandBatch;
import org.smmulab.driver.invs.InvalidationQueues;
import org.smmulab.driver.invs.SmmuId;

/**
 * Command queues that read every command's two qwords, as a queue writing them into its ring would,
 * and only count and fold them, so that a benchmark measures how the work is found and built, not
 * how fast a queue consumes it. Instances have range invalidation.
 *
 * <p>Each submitting thread counts in a record of its own, so that two threads invalidating at once
 * do not contend on the counters, which would slow both designs alike and hide the difference
 * between them.
 */
final class CountingQueues implements InvalidationQueues {
  /** One thread's counts. */
  private static final class Counts {
    long commands;
    long batches;
    long digest;
  }

  private final ThreadLocal<Counts> counts = ThreadLocal.withInitial(Counts::new);

  @Override
  public boolean rangeInvalidation(SmmuId smmu) {
    return true;
  }

  @Override
  public void submit(SmmuId smmu, CommandBatch batch) {
    long folded = 0;
    for (int i = 0; i < batch.size(); i++) {
      folded += batch.qword(i, 0) ^ batch.qword(i, 1);
    }
    Counts mine = counts.get();
    mine.digest += folded;
    mine.commands += batch.size();
    mine.batches++;
  }
}
