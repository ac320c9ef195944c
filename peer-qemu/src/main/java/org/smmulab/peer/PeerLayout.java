package org.smmulab.peer;

import java.util.List;
import org.smmulab.driver.alloc.RamRange;

/**
 * The physical layout both peers share (QEMU's {@code virt} machine with {@code highmem=off} and
 * 512 MiB of RAM):
 *
 * <pre>
 *   0x4000_0000 .. 0x4010_0000   reserved: device tree and the guest stub (image + stack)
 *   0x4020_0000 .. 0x4800_0000   the driver's page allocator
 *   0x4800_0000 .. 0x4840_0000   DMA data of seeded runs: source pages, sink pages, one 2 MiB block
 *   0x4840_0000 .. 0x5000_0000   unused
 *   0x5000_0000 .. 0x6000_0000   memory scenario files may map
 * </pre>
 *
 * <p>edu devices clamp DMA addresses to 28 bits, so every IOVA must stay below {@link #IOVA_LIMIT}.
 */
public final class PeerLayout {
  /** Start of RAM. */
  public static final long RAM_BASE = 0x4000_0000L;

  /** RAM size (QEMU {@code -m 512}). */
  public static final long RAM_SIZE = 512L << 20;

  /** End of the window kept for the device tree and the guest stub's image and stack. */
  public static final long RESERVED_END = 0x4010_0000L;

  /** The driver's page allocator. */
  public static final RamRange ALLOCATOR = new RamRange(0x4020_0000L, 0x4800_0000L - 0x4020_0000L);

  /** Start of the DMA data region. */
  public static final long DATA_BASE = 0x4800_0000L;

  /** Size of the DMA data region. */
  public static final long DATA_SIZE = 0x40_0000L;

  /** 4 KiB source pages (a fixed pattern, read by devices) at the start of the data region. */
  public static final long SOURCE_BASE = DATA_BASE;

  /** Number of source pages. */
  public static final int SOURCE_PAGES = 16;

  /** 4 KiB sink pages (refilled before each device write) after the source pages. */
  public static final long SINK_BASE = DATA_BASE + 0x1_0000L;

  /** Number of sink pages. */
  public static final int SINK_PAGES = 16;

  /** A 2 MiB block (also a sink) at the end of the data region. */
  public static final long BLOCK_BASE = DATA_BASE + 0x20_0000L;

  /** Size of the block. */
  public static final long BLOCK_SIZE = 0x20_0000L;

  /**
   * Start of the memory scenario files may map: above everything else here, and above {@code
   * [0x4000_0000, 0x5000_0000)}, which scenario files keep free for the scenario runner's driver.
   */
  public static final long SCENARIO_BASE = 0x5000_0000L;

  /** End of the memory scenario files may map: the end of RAM. */
  public static final long SCENARIO_END = RAM_BASE + RAM_SIZE;

  /** The value sinks are filled with; the source pattern never contains it. */
  public static final byte SINK_FILL = (byte) 0xff;

  /** IOVAs must stay below this (edu's 28-bit DMA mask). */
  public static final long IOVA_LIMIT = 1L << 28;

  /** The sink ranges, scanned after each device write. */
  public static final List<long[]> SINKS =
      List.of(new long[] {SINK_BASE, SINK_PAGES * 4096L}, new long[] {BLOCK_BASE, BLOCK_SIZE});

  private PeerLayout() {}

  /**
   * Byte {@code i} of the pattern with {@code seed} (see {@link PeerMachine#pattern}); source page
   * {@code p} holds the pattern with seed {@code p}.
   */
  public static byte patternByte(int seed, long i) {
    return (byte) (1 + (seed * 37L + i * 11) % 126);
  }
}
