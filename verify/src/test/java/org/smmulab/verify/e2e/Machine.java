package org.smmulab.verify.e2e;

import java.util.ArrayList;
import java.util.List;
import org.smmulab.driver.SmmuDriver;
import org.smmulab.driver.alloc.PageAllocator;
import org.smmulab.driver.alloc.RamRange;
import org.smmulab.driver.queue.QueueListener;
import org.smmulab.driver.smmu.DriverOptions;
import org.smmulab.driver.smmu.SmmuDevice;
import org.smmulab.hw.memory.PhysicalMemory;
import org.smmulab.hw.smmu.Smmu;
import org.smmulab.hw.smmu.SmmuConfig;

/**
 * A test machine: one physical memory, some SMMU instances of the hardware model, and the driver
 * probed on all of them. The driver's tables and queues live in [0x4000_0000, +256 MiB); DMA
 * buffers elsewhere.
 */
final class Machine implements AutoCloseable {
  static final long RAM = 0x4000_0000L;

  final PhysicalMemory memory = new PhysicalMemory(44);
  final PageAllocator allocator = new PageAllocator(memory, List.of(new RamRange(RAM, 256L << 20)));
  final List<Smmu> smmus = new ArrayList<>();
  final List<SmmuDevice> devices = new ArrayList<>();
  final SmmuDriver driver;

  Machine(QueueListener listener, SmmuConfig... configs) throws Exception {
    driver = new SmmuDriver(memory, allocator, DriverOptions.DEFAULTS, listener);
    for (int i = 0; i < configs.length; i++) {
      Smmu smmu = new Smmu("smmu" + i, configs[i], memory);
      smmus.add(smmu);
      devices.add(driver.addInstance("smmu" + i, smmu.registers(), smmu.interrupts()));
    }
  }

  @Override
  public void close() {
    for (Smmu smmu : smmus) {
      smmu.close();
    }
  }
}
