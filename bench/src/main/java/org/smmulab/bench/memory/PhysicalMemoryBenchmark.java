package org.smmulab.bench.memory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.infra.ThreadParams;
import org.smmulab.arch.bus.BusAbort;
import org.smmulab.hw.memory.PhysicalMemory;

/**
 * Throughput of aligned 64-bit reads and writes on {@link PhysicalMemory}, from one and from two
 * threads, over a pre-touched 64 MiB region of a 48-bit space.
 *
 * <p>Each thread walks its own precomputed array of word addresses, {@value #BATCH} accesses per
 * invocation, so that neither the address arithmetic nor the JMH call overhead is measured and the
 * JIT cannot fold the addresses. {@code sequential} visits consecutive words (the cost of the
 * access path itself, with caches and prefetchers helping); {@code random} visits words spread
 * uniformly over the region (the cost when nearly every access misses the caches, as with a table
 * walk over a large working set). Scores are accesses per second (per thread for each thread's own
 * score, summed over threads in the total).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
public class PhysicalMemoryBenchmark {
  /** Accesses per benchmark invocation. */
  static final int BATCH = 1024;

  /** Size of the touched region. */
  static final long REGION_BYTES = 64L << 20;

  /** Where the region starts: high enough that the radix tree has real middle and leaf levels. */
  static final long REGION_BASE = 0x12_3400_0000L;

  private static final int ADDRESSES_PER_THREAD = 1 << 20;

  private static final VarHandle FLAT = MethodHandles.arrayElementVarHandle(long[].class);

  PhysicalMemory memory;

  /** The same region as one plain array: the floor set by the caches, TLB and DRAM. */
  long[] flatRegion;

  /** Allocates and touches every frame of the region, so that no benchmark allocates. */
  @Setup(Level.Trial)
  public void touchRegion() throws BusAbort {
    memory = new PhysicalMemory(48);
    for (long offset = 0; offset < REGION_BYTES; offset += Long.BYTES) {
      memory.write64(REGION_BASE + offset, offset | 1);
    }
    flatRegion = new long[(int) (REGION_BYTES / Long.BYTES)];
    for (int i = 0; i < flatRegion.length; i++) {
      flatRegion[i] = ((long) i * Long.BYTES) | 1;
    }
  }

  /** One thread's walk through the region. */
  @State(Scope.Thread)
  public static class Walk {
    /** {@code sequential} or {@code random}: the order in which this thread visits words. */
    @Param({"sequential", "random"})
    public String pattern;

    long[] addresses;
    int next;
    long value;

    /** Precomputes this thread's addresses; threads start at different places. */
    @Setup(Level.Trial)
    public void plan(ThreadParams thread) {
      addresses = new long[ADDRESSES_PER_THREAD];
      long words = REGION_BYTES / Long.BYTES;
      SplittableRandom random = new SplittableRandom(0x5eed_0000L + thread.getThreadIndex());
      long first = random.nextLong(words);
      for (int i = 0; i < addresses.length; i++) {
        long word = pattern.equals("sequential") ? (first + i) % words : random.nextLong(words);
        addresses[i] = REGION_BASE + word * Long.BYTES;
      }
      value = 0x0102_0304_0506_0708L * (thread.getThreadIndex() + 1);
    }
  }

  private long readBatch(Walk walk) throws BusAbort {
    long[] addresses = walk.addresses;
    int at = walk.next;
    long sum = 0;
    for (int i = 0; i < BATCH; i++) {
      sum += memory.read64(addresses[at + i]);
    }
    walk.next = (at + BATCH) & (addresses.length - 1);
    return sum;
  }

  private void writeBatch(Walk walk) throws BusAbort {
    long[] addresses = walk.addresses;
    int at = walk.next;
    long value = walk.value;
    for (int i = 0; i < BATCH; i++) {
      memory.write64(addresses[at + i], value + i);
    }
    walk.value = value + BATCH;
    walk.next = (at + BATCH) & (addresses.length - 1);
  }

  /** Aligned 64-bit reads from one thread. */
  @Benchmark
  @Threads(1)
  @OperationsPerInvocation(BATCH)
  public void read64OneThread(Walk walk, Blackhole sink) throws BusAbort {
    sink.consume(readBatch(walk));
  }

  /**
   * Baseline for {@link #read64OneThread}: the same addresses read from one plain {@code long[]}
   * with acquire loads and no bounds or alignment check, so the difference is the cost of the
   * checks and the radix tree walk.
   */
  @Benchmark
  @Threads(1)
  @OperationsPerInvocation(BATCH)
  public void read64FlatArrayBaseline(Walk walk, Blackhole sink) {
    long[] addresses = walk.addresses;
    long[] region = flatRegion;
    int at = walk.next;
    long sum = 0;
    for (int i = 0; i < BATCH; i++) {
      sum += (long) FLAT.getAcquire(region, (int) ((addresses[at + i] - REGION_BASE) >>> 3));
    }
    walk.next = (at + BATCH) & (addresses.length - 1);
    sink.consume(sum);
  }

  /** Aligned 64-bit reads from two threads at once over the same region. */
  @Benchmark
  @Threads(2)
  @OperationsPerInvocation(BATCH)
  public void read64TwoThreads(Walk walk, Blackhole sink) throws BusAbort {
    sink.consume(readBatch(walk));
  }

  /** Aligned 64-bit writes (release stores) from one thread. */
  @Benchmark
  @Threads(1)
  @OperationsPerInvocation(BATCH)
  public void write64OneThread(Walk walk) throws BusAbort {
    writeBatch(walk);
  }

  /** Aligned 64-bit writes from two threads at once over the same region. */
  @Benchmark
  @Threads(2)
  @OperationsPerInvocation(BATCH)
  public void write64TwoThreads(Walk walk) throws BusAbort {
    writeBatch(walk);
  }
}
