package org.smmulab.bench.hw;

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
import org.openjdk.jmh.annotations.TearDown;
import org.smmulab.arch.cmd.Command;
import org.smmulab.arch.cmd.TlbiRange;
import org.smmulab.hw.smmu.SmmuPresets;

/**
 * Commands consumed per second: batches of {@value #BATCH} commands (TLBI_NH_VA page invalidations,
 * the commonest command, and a closing CMD_SYNC) written to the queue with one PROD update, on the
 * qemu-like preset (consumed during the PROD write) and on mmu-700-like (asynchronous consumer
 * thread); the benchmark thread waits for CONS each time.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CommandConsumptionBenchmark {
  static final int BATCH = 64;

  @Param({"qemu-like", "mmu-700-like"})
  public String preset;

  private ModelRig rig;
  private final Command[] batch = new Command[BATCH];

  @Setup(Level.Trial)
  public void build() throws Exception {
    rig = new ModelRig(SmmuPresets.named(preset), 64);
    for (int i = 0; i < BATCH - 1; i++) {
      batch[i] = Command.tlbiNhVa(0, 1, TlbiRange.single(ModelRig.IOVA + i * 4096L, true));
    }
    batch[BATCH - 1] = Command.cmdSync(Command.CS_NONE, 0, 0, 0, 0);
  }

  @TearDown(Level.Trial)
  public void close() {
    rig.smmu.close();
  }

  /** One batch. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void consume() throws Exception {
    rig.submit(batch);
  }
}
