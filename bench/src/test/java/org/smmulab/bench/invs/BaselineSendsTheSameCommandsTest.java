package org.smmulab.bench.invs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.smmulab.arch.cmd.Command;
import org.smmulab.arch.cmd.CommandBatch;
import org.smmulab.driver.invs.Invalidation;
import org.smmulab.driver.invs.InvalidationArray;
import org.smmulab.driver.invs.InvalidationQueues;
import org.smmulab.driver.invs.InvalidationWalker;
import org.smmulab.driver.invs.SmmuId;

/** The benchmark compares like with like: both designs send identical batches. */
class BaselineSendsTheSameCommandsTest {
  /** Records every batch, bit for bit; instances with an odd index lack RIL when asked. */
  private static final class Recording implements InvalidationQueues {
    final List<String> log = new ArrayList<>();
    final boolean oddWithoutRil;

    Recording(boolean oddWithoutRil) {
      this.oddWithoutRil = oddWithoutRil;
    }

    @Override
    public boolean rangeInvalidation(SmmuId smmu) {
      return !oddWithoutRil || smmu.index() % 2 == 0;
    }

    @Override
    public void submit(SmmuId smmu, CommandBatch commands) {
      StringBuilder b = new StringBuilder(smmu + ":");
      for (Command c : commands.toList()) {
        b.append(String.format(" [%016x %016x] %s", c.qword(0), c.qword(1), c.describe()));
      }
      log.add(b.toString());
    }
  }

  @ParameterizedTest(name = "{0} pages, odd instances without RIL: {1}")
  @CsvSource({"1, false", "35, false", "35, true", "600, true"})
  void eightInstancesWithFourAtsDevicesEach(int pages, boolean oddWithoutRil) {
    Recording ours = new Recording(oddWithoutRil);
    Recording theirs = new Recording(oddWithoutRil);
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

    long size = pages * 4096L;
    new InvalidationWalker(ours).invalidateRange(invs, 0x12_3456_7000L, size, 4096, true);
    baseline.invalidateRange(0x12_3456_7000L, size);
    // The second time round both reuse their per-thread buffers.
    new InvalidationWalker(ours).invalidateRange(invs, 0x12_3456_7000L, size, 4096, true);
    baseline.invalidateRange(0x12_3456_7000L, size);

    assertThat(ours.log).hasSize(32);
    assertThat(ours.log.get(0)).contains("TLBI_NH_VA");
    assertThat(theirs.log).containsExactlyElementsOf(ours.log);
  }
}
