package org.smmulab.peer.model;

import java.util.ArrayList;
import java.util.List;
import org.smmulab.arch.bus.BusAbort;
import org.smmulab.arch.bus.InterruptLines;
import org.smmulab.arch.bus.Memory;
import org.smmulab.arch.bus.RegisterBus;
import org.smmulab.driver.alloc.RamRange;
import org.smmulab.hw.memory.PhysicalMemory;
import org.smmulab.hw.pcie.Endpoint;
import org.smmulab.hw.smmu.Smmu;
import org.smmulab.hw.smmu.SmmuConfig;
import org.smmulab.hw.smmu.SmmuPresets;
import org.smmulab.peer.EduPort;
import org.smmulab.peer.PeerLayout;
import org.smmulab.peer.PeerMachine;
import org.smmulab.peer.ScanResult;
import org.smmulab.peer.WordDigest;

/**
 * The QEMU machine rebuilt from the hardware model: a 44-bit physical memory, one SMMU instance
 * (preset {@code qemu-like} unless told otherwise) and edu devices with the StreamIDs QEMU gives
 * them (bus 0, devices 2, 3, ...: 0x10, 0x18, ...). The model's interrupt lines fire on the thread
 * that raises them, so {@link #serviceInterrupts} has nothing to do.
 */
public final class ModelMachine implements PeerMachine {
  /** PCI device number of the first edu device on QEMU's bus 0. */
  public static final int FIRST_EDU_DEVICE = 2;

  private final PhysicalMemory memory = new PhysicalMemory(44);
  private final Smmu smmu;
  private final List<EduPort> devices = new ArrayList<>();

  /** A machine with the {@code qemu-like} preset. */
  public ModelMachine(int eduDevices) {
    this(SmmuPresets.qemuLike(), eduDevices);
  }

  /**
   * @param config the SMMU instance's configuration
   */
  public ModelMachine(SmmuConfig config, int eduDevices) {
    this.smmu = new Smmu("model", config, memory);
    for (int i = 0; i < eduDevices; i++) {
      int sid = (FIRST_EDU_DEVICE + i) << 3;
      Endpoint ep = Endpoint.withoutAts("edu" + i, memory, smmu, sid);
      smmu.connect(ep);
      devices.add(new ModelEdu("edu" + i, ep));
    }
  }

  @Override
  public String name() {
    return "model";
  }

  /** The SMMU instance. */
  public Smmu smmu() {
    return smmu;
  }

  @Override
  public Memory memory() {
    return memory;
  }

  @Override
  public RegisterBus smmuRegisters() {
    return smmu.registers();
  }

  @Override
  public InterruptLines smmuInterrupts() {
    return smmu.interrupts();
  }

  @Override
  public void serviceInterrupts() {
    // The model's lines fire by themselves, on the thread that raised them.
  }

  @Override
  public List<RamRange> allocatorRam() {
    return List.of(PeerLayout.ALLOCATOR);
  }

  @Override
  public List<EduPort> devices() {
    return List.copyOf(devices);
  }

  @Override
  public void fill(long pa, long length, byte value) throws BusAbort {
    long end = pa + length;
    long word = (value & 0xffL) * 0x0101010101010101L;
    long at = pa;
    while (at < end && (at & 7) != 0) {
      memory.write8(at++, value);
    }
    for (; at + 8 <= end; at += 8) {
      memory.write64(at, word);
    }
    while (at < end) {
      memory.write8(at++, value);
    }
  }

  @Override
  public void pattern(long pa, long length, int seed) throws BusAbort {
    byte[] bytes = new byte[(int) length];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = PeerLayout.patternByte(seed, i);
    }
    memory.write(pa, bytes, 0, bytes.length);
  }

  @Override
  public ScanResult scan(long pa, long length, byte value) throws BusAbort {
    long count = 0;
    long first = 0;
    long last = 0;
    byte[] page = new byte[4096];
    for (long off = 0; off < length; off += page.length) {
      int n = (int) Math.min(page.length, length - off);
      memory.read(pa + off, page, 0, n);
      for (int i = 0; i < n; i++) {
        if (page[i] != value) {
          if (count == 0) {
            first = off + i;
          }
          last = off + i;
          count++;
        }
      }
    }
    return count == 0 ? ScanResult.CLEAN : new ScanResult(count, first, last);
  }

  @Override
  public long digest(long pa, long length) throws BusAbort {
    if (((pa | length) & 7) != 0) {
      throw new IllegalArgumentException("digest range must be 8-byte aligned");
    }
    WordDigest d = new WordDigest();
    for (long at = pa; at < pa + length; at += 8) {
      d.add(memory.read64(at));
    }
    return d.value();
  }

  @Override
  public void close() {
    smmu.close();
  }
}
