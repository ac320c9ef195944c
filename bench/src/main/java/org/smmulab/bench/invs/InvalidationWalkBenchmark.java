package org.smmulab.bench.invs;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.smmulab.driver.invs.Invalidation;
import org.smmulab.driver.invs.InvalidationArray;
import org.smmulab.driver.invs.InvalidationWalker;
import org.smmulab.driver.invs.SmmuId;

/**
 * The cost of the invalidation after a one-page unmap, on a stage-1 domain attached by {@code
 * instances} SMMU instances with {@code devicesPerInstance} ATS devices each: ours (the lock-free
 * {@link InvalidationWalker} over the domain's array) against the baseline ({@link
 * LockedDeviceListDomain}), both alone and with a second thread attaching and detaching one more
 * ATS master as fast as it can. Both send the same commands to {@link CountingQueues}.
 *
 * <p>Read the {@code *Invalidate} secondary scores of the churn groups for the comparison under
 * churn; the {@code *AttachDetach} scores show what the churning thread achieved. The {@code
 * *TwoInvalidators} groups run two invalidating threads on the same domain (and, with {@code
 * Churn}, a third thread attaching and detaching): where the designs differ most, since the
 * baseline builds every command under its lock and so serialises its invalidators, while ours share
 * nothing but the published array. Their scores are totals over both invalidating threads; on a
 * machine with two cores the churn variant runs three threads on two cores. {@link
 * InvalidationWalkRatio} runs this benchmark and prints the ours/baseline ratios.
 */
@State(Scope.Group)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class InvalidationWalkBenchmark {
  private static final long IOVA = 0x12_3456_7000L;
  private static final long PAGE = 4096;

  @Param({"8"})
  public int instances;

  @Param({"4"})
  public int devicesPerInstance;

  private final CountingQueues queues = new CountingQueues();
  private final ReentrantLock tagLock = new ReentrantLock();
  private AtomicReference<InvalidationArray> invs;
  private InvalidationWalker walker;
  private InvalidationArray churnList;
  private LockedDeviceListDomain baseline;
  private LockedDeviceListDomain.Attachment churnAttachment;

  /** Attaches every device to both designs. */
  @Setup(Level.Trial)
  public void attachAll() {
    walker = new InvalidationWalker(queues);
    baseline = new LockedDeviceListDomain(queues);
    invs = new AtomicReference<>(InvalidationArray.empty(tagLock));
    tagLock.lock();
    try {
      for (int s = 0; s < instances; s++) {
        SmmuId smmu = new SmmuId(s);
        for (int d = 0; d < devicesPerInstance; d++) {
          int sid = 0x100 * s + d;
          invs.set(InvalidationArray.merge(invs.get(), masterList(smmu, s + 1, sid)));
          baseline.attach(new LockedDeviceListDomain.Attachment(smmu, s + 1, sid, true));
        }
      }
    } finally {
      tagLock.unlock();
    }
    churnList = masterList(new SmmuId(0), 1, 0xff);
    churnAttachment = new LockedDeviceListDomain.Attachment(new SmmuId(0), 1, 0xff, true);
  }

  private static InvalidationArray masterList(SmmuId smmu, int asid, int sid) {
    List<Invalidation> list = new ArrayList<>();
    list.add(Invalidation.s1Asid(smmu, asid, 12, false));
    list.add(Invalidation.ats(smmu, sid, 0));
    return InvalidationArray.of(list.toArray(Invalidation[]::new));
  }

  /** Ours, no other thread. */
  @Benchmark
  @Group("oursAlone")
  public void oursAlone() {
    walker.invalidateRange(invs, IOVA, PAGE, PAGE, true);
  }

  /** The baseline, no other thread. */
  @Benchmark
  @Group("baselineAlone")
  public void baselineAlone() {
    baseline.invalidateRange(IOVA, PAGE);
  }

  /** Ours, while another thread attaches and detaches. */
  @Benchmark
  @Group("oursChurn")
  @GroupThreads(1)
  public void oursChurnInvalidate() {
    walker.invalidateRange(invs, IOVA, PAGE, PAGE, true);
  }

  /** The churning thread of {@link #oursChurnInvalidate}: merge, publish, unref, purge. */
  @Benchmark
  @Group("oursChurn")
  @GroupThreads(1)
  public void oursChurnAttachDetach() {
    tagLock.lock();
    try {
      invs.set(InvalidationArray.merge(invs.get(), churnList));
    } finally {
      tagLock.unlock();
    }
    tagLock.lock();
    try {
      InvalidationArray current = invs.get();
      InvalidationArray.unref(current, churnList);
      InvalidationArray purged = InvalidationArray.purge(current);
      if (purged != null) {
        invs.set(purged);
      }
    } finally {
      tagLock.unlock();
    }
  }

  /** The baseline, while another thread attaches and detaches. */
  @Benchmark
  @Group("baselineChurn")
  @GroupThreads(1)
  public void baselineChurnInvalidate() {
    baseline.invalidateRange(IOVA, PAGE);
  }

  /** The churning thread of {@link #baselineChurnInvalidate}. */
  @Benchmark
  @Group("baselineChurn")
  @GroupThreads(1)
  public void baselineChurnAttachDetach() {
    baseline.attach(churnAttachment);
    baseline.detach(churnAttachment);
  }

  /** Ours, two threads invalidating the same domain at once, nothing else. */
  @Benchmark
  @Group("oursTwoInvalidators")
  @GroupThreads(2)
  public void oursTwoInvalidators() {
    walker.invalidateRange(invs, IOVA, PAGE, PAGE, true);
  }

  /** The baseline, two threads invalidating the same domain at once, nothing else. */
  @Benchmark
  @Group("baselineTwoInvalidators")
  @GroupThreads(2)
  public void baselineTwoInvalidators() {
    baseline.invalidateRange(IOVA, PAGE);
  }

  /** Ours, two invalidating threads while a third attaches and detaches. */
  @Benchmark
  @Group("oursTwoInvalidatorsChurn")
  @GroupThreads(2)
  public void oursTwoInvalidatorsChurnInvalidate() {
    walker.invalidateRange(invs, IOVA, PAGE, PAGE, true);
  }

  /** The churning thread of {@link #oursTwoInvalidatorsChurnInvalidate}. */
  @Benchmark
  @Group("oursTwoInvalidatorsChurn")
  @GroupThreads(1)
  public void oursTwoInvalidatorsChurnAttachDetach() {
    oursChurnAttachDetach();
  }

  /** The baseline, two invalidating threads while a third attaches and detaches. */
  @Benchmark
  @Group("baselineTwoInvalidatorsChurn")
  @GroupThreads(2)
  public void baselineTwoInvalidatorsChurnInvalidate() {
    baseline.invalidateRange(IOVA, PAGE);
  }

  /** The churning thread of {@link #baselineTwoInvalidatorsChurnInvalidate}. */
  @Benchmark
  @Group("baselineTwoInvalidatorsChurn")
  @GroupThreads(1)
  public void baselineTwoInvalidatorsChurnAttachDetach() {
    baselineChurnAttachDetach();
  }
}
