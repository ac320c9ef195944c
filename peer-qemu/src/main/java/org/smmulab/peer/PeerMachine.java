package org.smmulab.peer;

import java.util.List;
import org.smmulab.arch.bus.BusAbort;
import org.smmulab.arch.bus.InterruptLines;
import org.smmulab.arch.bus.Memory;
import org.smmulab.arch.bus.RegisterBus;
import org.smmulab.driver.alloc.RamRange;

/**
 * A machine with one SMMUv3 in front of a set of edu-style DMA engines, as the differential runner
 * drives it: the same physical layout ({@link PeerLayout}) whether it is QEMU or the hardware
 * model.
 *
 * <p>Besides what a driver needs (memory, registers, interrupt lines), a machine offers three bulk
 * operations on physical memory that the runner uses to observe DMA ({@link #fill}, {@link #scan},
 * {@link #digest}); on QEMU each is one round trip to the guest instead of thousands.
 *
 * <p>Thread-safety: implementations are safe for use from one thread at a time; the runner is
 * single-threaded. {@link #close} may be called from any thread, any number of times.
 */
public interface PeerMachine extends AutoCloseable {
  /** A short name for reports ("qemu", "model"). */
  String name();

  /** Physical memory as the driver sees it. */
  Memory memory();

  /** The SMMU's MMIO window. */
  RegisterBus smmuRegisters();

  /** The SMMU's wired interrupt lines. */
  InterruptLines smmuInterrupts();

  /**
   * Runs the handlers of the lines whose condition is pending (event queue not empty, a global
   * error active). Machines whose lines fire on their own do nothing here.
   */
  void serviceInterrupts();

  /** The RAM the driver's page allocator may use: clear of any guest image and of DMA buffers. */
  List<RamRange> allocatorRam();

  /** The DMA engines, in StreamID order. */
  List<EduPort> devices();

  /** Sets {@code length} bytes from {@code pa} to {@code value}. */
  void fill(long pa, long length, byte value) throws BusAbort;

  /**
   * Writes the source pattern: byte {@code pa + i} becomes {@code 1 + (seed * 37 + i * 11) mod 126}
   * (never 0, never {@link PeerLayout#SINK_FILL}).
   */
  void pattern(long pa, long length, int seed) throws BusAbort;

  /** Counts the bytes in {@code [pa, pa + length)} that differ from {@code value}. */
  ScanResult scan(long pa, long length, byte value) throws BusAbort;

  /**
   * A 64-bit digest of {@code [pa, pa + length)} ({@code pa} and {@code length} multiples of 8):
   * FNV-1a over the little-endian 64-bit words, see {@link WordDigest}.
   */
  long digest(long pa, long length) throws BusAbort;

  /** Releases the machine (for QEMU: ends the process). */
  @Override
  void close();
}
