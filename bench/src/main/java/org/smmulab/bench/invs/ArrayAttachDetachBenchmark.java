package org.smmulab.bench.invs;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.smmulab.driver.invs.Invalidation;
import org.smmulab.driver.invs.InvalidationArray;
import org.smmulab.driver.invs.SmmuId;

/**
 * The invalidation-array share of one attach+detach cycle of an ATS master on a stage-1 domain that
 * already has {@code masters} ATS masters spread over 8 instances: the array work the attach
 * sequence does under the tag lock (merge and publish, then unref, purge and publish), and nothing
 * else. {@link DriverAttachDetachBenchmark} times the whole cycle through the driver.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ArrayAttachDetachBenchmark {
  private static final int INSTANCES = 8;

  @Param({"1000"})
  public int masters;

  private final ReentrantLock tagLock = new ReentrantLock();
  private AtomicReference<InvalidationArray> invs;
  private InvalidationArray extra;

  /** Attaches the existing masters. */
  @Setup(Level.Trial)
  public void attachAll() {
    invs = new AtomicReference<>(InvalidationArray.empty(tagLock));
    tagLock.lock();
    try {
      for (int m = 0; m < masters; m++) {
        SmmuId smmu = new SmmuId(m % INSTANCES);
        invs.set(
            InvalidationArray.merge(
                invs.get(),
                InvalidationArray.of(
                    Invalidation.s1Asid(smmu, 1, 12, false), Invalidation.ats(smmu, m, 0))));
      }
    } finally {
      tagLock.unlock();
    }
    SmmuId smmu = new SmmuId(3);
    extra =
        InvalidationArray.of(
            Invalidation.s1Asid(smmu, 1, 12, false), Invalidation.ats(smmu, 1 << 20, 0));
  }

  /** Attach then detach one more master. */
  @Benchmark
  public InvalidationArray attachDetach() {
    tagLock.lock();
    try {
      invs.set(InvalidationArray.merge(invs.get(), extra));
      InvalidationArray current = invs.get();
      InvalidationArray.unref(current, extra);
      InvalidationArray purged = InvalidationArray.purge(current);
      if (purged != null) {
        invs.set(purged);
      }
      return invs.get();
    } finally {
      tagLock.unlock();
    }
  }
}
