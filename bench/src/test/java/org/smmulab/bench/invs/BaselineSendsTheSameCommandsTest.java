package org.smmulab.bench.invs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.smmulab.arch.cmd.Command;
import org.smmulab.driver.invs.Invalidation;
import org.smmulab.driver.invs.InvalidationArray;
import org.smmulab.driver.invs.InvalidationQueues;
import org.smmulab.driver.invs.InvalidationWalker;
import org.smmulab.driver.invs.SmmuId;

/** The benchmark compares like with like: both designs send identical batches. */
class BaselineSendsTheSameCommandsTest {
  private static final class Recording implements InvalidationQueues {
    final List<String> log = new ArrayList<>();

    @Override
    public boolean rangeInvalidation(SmmuId smmu) {
      return true;
    }

    @Override
    public void submit(SmmuId smmu, List<Command> commands) {
      StringBuilder b = new StringBuilder(smmu + ":");
      for (Command c : commands) {
        b.append(' ').append(c.describe());
      }
      log.add(b.toString());
    }
  }

  @Test
  void eightInstancesWithFourAtsDevicesEach() {
    Recording ours = new Recording();
    Recording theirs = new Recording();
    ReentrantLock lock = new ReentrantLock();
    AtomicReference<InvalidationArray> invs = new AtomicReference<>(InvalidationArray.empty(lock));
    LockedDeviceListDomain baseline = new LockedDeviceListDomain(theirs);
    lock.lock();
    try {
      for (int s = 7; s >= 0; s--) {
        for (int d = 3; d >= 0; d--) {
          SmmuId smmu = new SmmuId(s);
          int sid = 0x100 * s + d;
          invs.set(
              InvalidationArray.merge(
                  invs.get(),
                  InvalidationArray.of(
                      Invalidation.s1Asid(smmu, s + 1, 12, false),
                      Invalidation.ats(smmu, sid, 0))));
          baseline.attach(new LockedDeviceListDomain.Attachment(smmu, s + 1, sid, true));
        }
      }
    } finally {
      lock.unlock();
    }

    new InvalidationWalker(ours).invalidateRange(invs, 0x12_3456_7000L, 4096, 4096, true);
    baseline.invalidateRange(0x12_3456_7000L, 4096);

    assertThat(ours.log).hasSize(16);
    assertThat(theirs.log).containsExactlyElementsOf(ours.log);
  }
}
