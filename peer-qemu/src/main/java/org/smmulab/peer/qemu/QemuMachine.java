package org.smmulab.peer.qemu;

import java.util.ArrayList;
import java.util.List;
import org.smmulab.arch.bus.BusAbort;
import org.smmulab.arch.bus.InterruptLines;
import org.smmulab.arch.bus.Memory;
import org.smmulab.arch.bus.RegisterBus;
import org.smmulab.arch.regs.RegisterOffsets;
import org.smmulab.driver.alloc.RamRange;
import org.smmulab.peer.EduPort;
import org.smmulab.peer.PeerLayout;
import org.smmulab.peer.PeerMachine;
import org.smmulab.peer.ScanResult;

/**
 * A running QEMU {@code virt} machine with its SMMUv3 and edu devices, reached through the guest
 * stub: memory, the SMMU's registers, polled interrupt lines, and the edu devices found by
 * enumerating bus 0 through ECAM, each with BAR0 assigned in the PCI MMIO window.
 *
 * <p>Addresses (peer facts): UART 0x0900_0000, SMMU 0x0905_0000, ECAM 0x3f00_0000, PCI MMIO from
 * 0x1000_0000, RAM from 0x4000_0000 (see {@link PeerLayout}). The SMMU's ID registers are not
 * assumed; the driver's probe reads them.
 *
 * <p>{@link #close} ends QEMU; so does a failure while starting. Not for concurrent use, except
 * {@link #close}.
 */
public final class QemuMachine implements PeerMachine {
  /** The SMMU's MMIO window. */
  public static final long SMMU_BASE = 0x0905_0000L;

  /** PCI ECAM (with {@code highmem=off}). */
  public static final long ECAM_BASE = 0x3f00_0000L;

  /** Where BARs are assigned. */
  public static final long PCI_MMIO_BASE = 0x1000_0000L;

  private static final long BAR_STRIDE = 1L << 20;
  private static final long REPLY_TIMEOUT_MILLIS = 10_000;
  private static final long BOOT_TIMEOUT_MILLIS = 30_000;

  private final QemuProcess process;
  private final StubLink link;
  private final GuestRam ram;
  private final MmioWindow smmu;
  private final PolledInterrupts interrupts = new PolledInterrupts();
  private final List<PciFunction> functions;
  private final List<EduPort> devices = new ArrayList<>();

  private QemuMachine(QemuProcess process, int eduDevices) {
    this.process = process;
    this.link = new StubLink(process, REPLY_TIMEOUT_MILLIS);
    link.awaitReady(BOOT_TIMEOUT_MILLIS);
    this.ram = new GuestRam(link, PeerLayout.RAM_BASE, PeerLayout.RAM_SIZE);
    this.smmu = new MmioWindow(link, SMMU_BASE, RegisterOffsets.MMIO_SIZE);
    Ecam ecam = new Ecam(link, ECAM_BASE);
    this.functions = ecam.enumerate(0);
    long bar = PCI_MMIO_BASE;
    for (PciFunction f : functions) {
      if (f.isEdu()) {
        devices.add(EduDevice.enable("edu" + devices.size(), link, ecam, f, bar));
        bar += BAR_STRIDE;
      }
    }
    if (devices.size() != eduDevices) {
      throw new PeerLinkException(
          "QEMU was started with " + eduDevices + " edu devices but bus 0 shows " + functions);
    }
  }

  /**
   * Builds the guest stub if needed, starts QEMU with {@code eduDevices} edu devices and sets them
   * up.
   *
   * @throws PeerUnavailableException if QEMU or the cross-compiler is missing (the message has the
   *     {@code apt-get} line) or the stub does not build
   * @throws PeerLinkException if the machine does not come up as the peer facts describe
   */
  public static QemuMachine start(int eduDevices) throws PeerUnavailableException {
    PeerTools tools = PeerTools.find();
    var elf = GuestImage.ensureBuilt(tools.crossGcc());
    QemuProcess process = QemuProcess.start(tools.qemu(), elf, eduDevices);
    try {
      return new QemuMachine(process, eduDevices);
    } catch (RuntimeException e) {
      process.close();
      throw e;
    }
  }

  @Override
  public String name() {
    return "qemu";
  }

  @Override
  public Memory memory() {
    return ram;
  }

  @Override
  public RegisterBus smmuRegisters() {
    return smmu;
  }

  @Override
  public InterruptLines smmuInterrupts() {
    return interrupts;
  }

  @Override
  public void serviceInterrupts() {
    interrupts.service(smmu);
  }

  @Override
  public List<RamRange> allocatorRam() {
    return List.of(PeerLayout.ALLOCATOR);
  }

  @Override
  public List<EduPort> devices() {
    return List.copyOf(devices);
  }

  /** Every function found on bus 0. */
  public List<PciFunction> pciFunctions() {
    return functions;
  }

  /** The stub link, for requests no interface covers. */
  public StubLink link() {
    return link;
  }

  /** The QEMU command line. */
  public List<String> command() {
    return process.command();
  }

  @Override
  public void fill(long pa, long length, byte value) throws BusAbort {
    requireRam(pa, length);
    try {
      link.fill(pa, length, value);
    } catch (StubError e) {
      throw new BusAbort(pa, e.reply());
    }
  }

  @Override
  public void pattern(long pa, long length, int seed) throws BusAbort {
    requireRam(pa, length);
    try {
      link.pattern(pa, length, seed);
    } catch (StubError e) {
      throw new BusAbort(pa, e.reply());
    }
  }

  @Override
  public ScanResult scan(long pa, long length, byte value) throws BusAbort {
    requireRam(pa, length);
    try {
      return link.scan(pa, length, value);
    } catch (StubError e) {
      throw new BusAbort(pa, e.reply());
    }
  }

  @Override
  public long digest(long pa, long length) throws BusAbort {
    requireRam(pa, length);
    try {
      return link.digest(pa, length);
    } catch (StubError e) {
      throw new BusAbort(pa, e.reply());
    }
  }

  private void requireRam(long pa, long length) throws BusAbort {
    if (!ram.contains(pa, length)) {
      throw new BusAbort(pa, "range of " + length + " bytes is not guest RAM");
    }
  }

  @Override
  public void close() {
    process.close();
  }
}
