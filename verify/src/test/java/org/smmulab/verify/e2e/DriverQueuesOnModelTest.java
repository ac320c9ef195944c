package org.smmulab.verify.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.smmulab.arch.cmd.Command;
import org.smmulab.arch.cmd.Opcode;
import org.smmulab.arch.event.EventRecord;
import org.smmulab.arch.event.EventType;
import org.smmulab.arch.regs.RegisterOffsets;
import org.smmulab.driver.SmmuDriver;
import org.smmulab.driver.alloc.PageAllocator;
import org.smmulab.driver.alloc.RamRange;
import org.smmulab.driver.queue.QueueListener;
import org.smmulab.driver.smmu.DriverOptions;
import org.smmulab.driver.smmu.SmmuDevice;
import org.smmulab.driver.tags.AsidSpace;
import org.smmulab.hw.memory.PhysicalMemory;
import org.smmulab.hw.pcie.DmaRequest;
import org.smmulab.hw.pcie.Endpoint;
import org.smmulab.hw.smmu.Smmu;
import org.smmulab.hw.smmu.SmmuPresets;

/** The driver's queues against the hardware model: error recovery, timeouts, events. */
class DriverQueuesOnModelTest {
  /** Records what the driver's queues report. */
  static final class Recorder implements QueueListener {
    final List<String> errors = new CopyOnWriteArrayList<>();
    final List<String> timeouts = new CopyOnWriteArrayList<>();
    final List<EventRecord> events = new CopyOnWriteArrayList<>();

    @Override
    public void commandError(String instance, String error, Command command) {
      errors.add(error + " " + command.describe());
    }

    @Override
    public void syncTimeout(String instance, String details) {
      timeouts.add(details);
    }

    @Override
    public void event(String instance, EventRecord event) {
      events.add(event);
    }
  }

  @Test
  void anIllegalCommandIsReplacedReportedAndTheQueueGoesOn() throws Exception {
    Recorder recorder = new Recorder();
    try (Machine m = new Machine(recorder, SmmuPresets.mmu700Like())) {
      SmmuDevice dev = m.devices.get(0);
      assertThat(dev.commands().submit(List.of(Command.decode(0x07, 0), Command.tlbiNsnhAll())))
          .isTrue();
      assertThat(recorder.errors).hasSize(1);
      assertThat(recorder.errors.get(0)).startsWith("ILL");
      assertThat(dev.commands().submit(List.of(Command.cfgiAll()))).isTrue();
      assertThat(m.smmus.get(0).statistics().commandsByOpcode()).containsEntry("TLBI_NSNH_ALL", 2L);
    }
  }

  @Test
  void aSyncThatNeverCompletesIsReportedInsteadOfHanging() throws Exception {
    Recorder recorder = new Recorder();
    PhysicalMemory memory = new PhysicalMemory(44);
    PageAllocator allocator =
        new PageAllocator(memory, List.of(new RamRange(Machine.RAM, 64L << 20)));
    SmmuDriver driver =
        new SmmuDriver(
            memory,
            allocator,
            new DriverOptions(10, 8, Duration.ofMillis(200), AsidSpace.PER_INSTANCE),
            recorder);
    try (Smmu smmu = new Smmu("smmu0", SmmuPresets.qemuLike(), memory)) {
      SmmuDevice dev = driver.addInstance("smmu0", smmu.registers(), smmu.interrupts());
      smmu.registers().write32(RegisterOffsets.CR0, 0x1);
      long start = System.nanoTime();
      assertThat(dev.commands().submit(List.of(Command.tlbiNsnhAll()))).isFalse();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
      assertThat(recorder.timeouts).hasSize(1);
      assertThat(recorder.timeouts.get(0)).contains("CMD_SYNC").contains("PROD");
    }
  }

  @Test
  void aQueueThatStaysFullIsReportedAndTheBatchGivenUpInsteadOfHanging() throws Exception {
    Recorder recorder = new Recorder();
    PhysicalMemory memory = new PhysicalMemory(44);
    PageAllocator allocator =
        new PageAllocator(memory, List.of(new RamRange(Machine.RAM, 64L << 20)));
    SmmuDriver driver =
        new SmmuDriver(
            memory,
            allocator,
            new DriverOptions(7, 8, Duration.ofMillis(200), AsidSpace.PER_INSTANCE),
            recorder);
    try (Smmu smmu = new Smmu("smmu0", SmmuPresets.qemuLike(), memory)) {
      SmmuDevice dev = driver.addInstance("smmu0", smmu.registers(), smmu.interrupts());
      smmu.registers().write32(RegisterOffsets.CR0, 0x1);
      List<Command> tooMany = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        tooMany.add(Command.tlbiNhAsid(0, 1));
      }
      long start = System.nanoTime();

      assertThat(dev.commands().submit(tooMany)).isFalse();

      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
      assertThat(recorder.timeouts).hasSize(1);
      assertThat(recorder.timeouts.get(0)).contains("full");
      assertThat(dev.commands().submitted(Opcode.TLBI_NH_ASID.value()))
          .as("the 128-entry queue took as many entries as it had room for")
          .isEqualTo(128);
    }
  }

  @Test
  void eventsReachTheDriverThroughTheInterrupt() throws Exception {
    Recorder recorder = new Recorder();
    try (Machine m = new Machine(recorder, SmmuPresets.qemuLike())) {
      Endpoint dev = Endpoint.withoutAts("dev", m.memory, m.smmus.get(0), 77);
      m.driver.addMaster("dev", m.devices.get(0).id(), new int[] {77}, null, 0);
      assertThat(dev.dma(DmaRequest.read(77, 0x1000, 8)).faulted()).isTrue();
      assertThat(recorder.events).isEmpty();

      // A StreamID beyond the table is recorded (RECINVSID) and delivered by the handler.
      Endpoint.withoutAts("stray", m.memory, m.smmus.get(0), 0xFFFF)
          .dma(DmaRequest.read(0xFFFF, 0, 8));
      m.devices.get(0).events().poll();
      assertThat(recorder.events).extracting(EventRecord::type).contains(EventType.C_BAD_STREAMID);
    }
  }
}
