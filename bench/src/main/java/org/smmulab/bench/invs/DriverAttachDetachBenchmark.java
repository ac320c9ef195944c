package org.smmulab.bench.invs;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.smmulab.arch.pte.Granule;
import org.smmulab.arch.pte.Stage;
import org.smmulab.driver.SmmuDriver;
import org.smmulab.driver.alloc.PageAllocator;
import org.smmulab.driver.alloc.RamRange;
import org.smmulab.driver.attach.Master;
import org.smmulab.driver.domain.PagingDomain;
import org.smmulab.driver.queue.QueueListener;
import org.smmulab.driver.smmu.DriverOptions;
import org.smmulab.driver.smmu.SmmuDevice;
import org.smmulab.hw.memory.PhysicalMemory;
import org.smmulab.hw.pcie.Endpoint;
import org.smmulab.hw.smmu.Smmu;
import org.smmulab.hw.smmu.SmmuConfig;
import org.smmulab.hw.smmu.SmmuPresets;

/**
 * One attach+detach cycle through the driver, on the hardware model, of an ATS master on a stage-1
 * domain that {@code masters} ATS masters spread over {@code instances} instances already use: the
 * tag lookup, the master's list, merge and publish, the hitless STE and CD writes with their CFGIs
 * and CMD_SYNCs, the ATC flush and ATS enable, and on detach the switch to the blocked STE, the ATC
 * flush, unref, purge and publish. With {@code tagShared} the master sits on an instance the domain
 * already uses, so its tag is found and outlives the detach; without, it sits on an instance of its
 * own, so each attach allocates an ASID and each detach flushes it (TLBI_NH_ASID and CMD_SYNC) and
 * frees it. The instances consume commands as PROD is written, so the time includes the model's
 * command processing but no cross-thread hand-off.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DriverAttachDetachBenchmark {
  private static final long RAM = 0x4000_0000L;

  @Param({"1000"})
  public int masters;

  @Param({"8"})
  public int instances;

  @Param({"true", "false"})
  public boolean tagShared;

  private final List<Smmu> smmus = new ArrayList<>();
  private SmmuDriver driver;
  private PagingDomain domain;
  private Master extra;

  /** The model of one instance with synchronous command consumption. */
  private static SmmuConfig synchronousInstance() {
    SmmuConfig preset = SmmuPresets.mmu700Like();
    SmmuConfig.ModelKnobs k = preset.model();
    return preset.toBuilder().model(k.toBuilder().asyncCommands(false).build()).build();
  }

  /** Probes the instances and attaches the existing masters. */
  @Setup(Level.Trial)
  public void attachAll() throws Exception {
    PhysicalMemory memory = new PhysicalMemory(44);
    PageAllocator allocator = new PageAllocator(memory, List.of(new RamRange(RAM, 256L << 20)));
    driver = new SmmuDriver(memory, allocator, DriverOptions.DEFAULTS, QueueListener.NONE);
    List<SmmuDevice> devices = new ArrayList<>();
    SmmuConfig config = synchronousInstance();
    int probed = tagShared ? instances : instances + 1;
    for (int i = 0; i < probed; i++) {
      Smmu smmu = new Smmu("smmu" + i, config, memory);
      smmus.add(smmu);
      devices.add(driver.addInstance("smmu" + i, smmu.registers(), smmu.interrupts()));
    }
    domain = driver.newPagingDomain("shared", Stage.STAGE_1, Granule.SIZE_4K, 48, 48);
    for (int m = 0; m <= masters; m++) {
      int instance = m < masters || tagShared ? m % instances : instances;
      int sid = 0x100 + m;
      Endpoint device = Endpoint.withAts("dev" + m, memory, smmus.get(instance), 4, m, sid);
      smmus.get(instance).connect(device);
      Master master =
          driver.addMaster("dev" + m, devices.get(instance).id(), new int[] {sid}, device, 0);
      if (m < masters) {
        driver.attach(master, domain);
      } else {
        extra = master;
      }
    }
  }

  /** Attach then detach one more master. */
  @Benchmark
  public void attachDetach() throws Exception {
    driver.attach(extra, domain);
    driver.detach(extra);
  }

  /** Stops the instances' threads. */
  @TearDown(Level.Trial)
  public void close() {
    for (Smmu smmu : smmus) {
      smmu.close();
    }
  }
}
