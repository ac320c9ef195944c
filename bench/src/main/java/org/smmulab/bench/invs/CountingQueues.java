package org.smmulab.bench.invs;

import java.util.List;
import org.smmulab.arch.cmd.Command;
import org.smmulab.driver.invs.InvalidationQueues;
import org.smmulab.driver.invs.SmmuId;

/**
 * Command queues that read every command's two qwords, as a queue writing them into its ring would,
 * and only count and fold them, so that a benchmark measures how the work is found and built, not
 * how fast a queue consumes it. Instances have range invalidation.
 *
 * <p>The counters are plain fields: in every benchmark group one thread submits (the other, if any,
 * attaches and detaches), so a thread-safe counter would only add cost to both designs.
 */
final class CountingQueues implements InvalidationQueues {
  long commands;
  long batches;
  long digest;

  @Override
  public boolean rangeInvalidation(SmmuId smmu) {
    return true;
  }

  @Override
  public void submit(SmmuId smmu, List<Command> batch) {
    long folded = 0;
    for (int i = 0; i < batch.size(); i++) {
      Command c = batch.get(i);
      folded += c.qword(0) ^ c.qword(1);
    }
    digest += folded;
    commands += batch.size();
    batches++;
  }
}
