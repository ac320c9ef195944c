package org.smmulab.bench.hw;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.smmulab.hw.smmu.SmmuPresets;
import org.smmulab.hw.smmu.observe.SmmuListener;
import org.smmulab.hw.smmu.txn.Transaction;
import org.smmulab.hw.smmu.txn.TranslationOutcome;

/**
 * Translations per second through {@code Smmu.translate} on the qemu-like preset (LRU TLB of 256
 * entries, no walk cache): TLB hits over 64 pages from one and two threads, and 4-level walks over
 * 4096 pages visited in order, which an LRU TLB of 256 entries never holds. Each invocation does
 * {@value #BATCH} translations; the result is checked so the work cannot be dropped. {@code
 * tlbHitOneThreadNoOpListener} repeats the one-thread TLB hits with a listener installed that does
 * nothing, to compare with {@code tlbHitOneThread} (no listener); JMH runs each benchmark in its
 * own JVM, so neither sees the other's call-site profile.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TranslationBenchmark {
  static final int BATCH = 256;

  /** The rig with 64 hot pages. */
  @State(Scope.Benchmark)
  public static class Hot {
    ModelRig rig;
    Transaction[] txns = new Transaction[64];

    @Setup(Level.Trial)
    public void build() throws Exception {
      rig = new ModelRig(SmmuPresets.qemuLike(), 64);
      rig.smmu.setListener(listener());
      for (int i = 0; i < txns.length; i++) {
        txns[i] = Transaction.read(ModelRig.SID, ModelRig.IOVA + i * 4096L + 0x10);
      }
      for (Transaction t : txns) {
        rig.smmu.translate(t);
      }
    }

    /** The listener the rig runs with. */
    SmmuListener listener() {
      return SmmuListener.NONE;
    }

    @TearDown(Level.Trial)
    public void close() {
      rig.smmu.close();
    }
  }

  /** The rig with 64 hot pages and a listener that ignores everything. */
  @State(Scope.Benchmark)
  public static class HotWithNoOpListener extends Hot {
    @Override
    SmmuListener listener() {
      return new SmmuListener() {};
    }
  }

  /** The rig with 4096 pages visited in order. */
  @State(Scope.Benchmark)
  public static class Cold {
    ModelRig rig;
    int next;

    @Setup(Level.Trial)
    public void build() throws Exception {
      rig = new ModelRig(SmmuPresets.qemuLike(), 4096);
    }

    @TearDown(Level.Trial)
    public void close() {
      rig.smmu.close();
    }
  }

  private static long hits(Hot hot, int offset) {
    long sum = 0;
    Transaction[] txns = hot.txns;
    for (int i = 0; i < BATCH; i++) {
      TranslationOutcome o = hot.rig.smmu.translate(txns[(i + offset) & 63]);
      if (o.source() != TranslationOutcome.Source.TLB) {
        throw new IllegalStateException("expected a TLB hit, got " + o);
      }
      sum += o.outputAddress();
    }
    return sum;
  }

  /** TLB-hit translations, one thread. */
  @Benchmark
  @Threads(1)
  @OperationsPerInvocation(BATCH)
  public long tlbHitOneThread(Hot hot) {
    return hits(hot, 0);
  }

  /** TLB-hit translations, one thread, with a listener that does nothing. */
  @Benchmark
  @Threads(1)
  @OperationsPerInvocation(BATCH)
  public long tlbHitOneThreadNoOpListener(HotWithNoOpListener hot) {
    return hits(hot, 0);
  }

  /** TLB-hit translations, two threads on the same instance. */
  @Benchmark
  @Threads(2)
  @OperationsPerInvocation(BATCH)
  public long tlbHitTwoThreads(Hot hot) {
    return hits(hot, (int) Thread.currentThread().getId());
  }

  /** Translations that miss the TLB and walk four levels, one thread. */
  @Benchmark
  @Threads(1)
  @OperationsPerInvocation(BATCH)
  public long walkOneThread(Cold cold) {
    long sum = 0;
    for (int i = 0; i < BATCH; i++) {
      int page = cold.next;
      cold.next = (page + 1) & 4095;
      TranslationOutcome o =
          cold.rig.smmu.translate(Transaction.read(ModelRig.SID, ModelRig.IOVA + page * 4096L));
      if (o.source() != TranslationOutcome.Source.WALK) {
        throw new IllegalStateException("expected a walk, got " + o);
      }
      sum += o.outputAddress();
    }
    return sum;
  }
}
