package org.smmulab.bench.invs;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.smmulab.arch.cmd.Command;
import org.smmulab.driver.invs.InvalidationQueues;
import org.smmulab.driver.invs.SmmuId;

/**
 * Command queues that only count what they receive, so that a benchmark measures how the work is
 * found and built, not how fast a queue consumes it. Instances have range invalidation.
 */
final class CountingQueues implements InvalidationQueues {
  final LongAdder commands = new LongAdder();
  final LongAdder batches = new LongAdder();

  @Override
  public boolean rangeInvalidation(SmmuId smmu) {
    return true;
  }

  @Override
  public void submit(SmmuId smmu, List<Command> batch) {
    commands.add(batch.size());
    batches.increment();
  }
}
