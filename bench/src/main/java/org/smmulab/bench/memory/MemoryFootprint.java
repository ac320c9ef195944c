package org.smmulab.bench.memory;

import java.util.Locale;
import org.openjdk.jol.info.GraphLayout;
import org.smmulab.arch.bus.BusAbort;
import org.smmulab.hw.memory.PhysicalMemory;

/**
 * Measures how much heap {@link PhysicalMemory} needs beyond the bytes it holds: touches a region
 * densely (one word per 4 KiB frame is enough to allocate the frame), then compares the touched
 * bytes with the memory's own estimate and with the real object graph size measured by JOL.
 *
 * <p>Run from the benchmarks jar with a heap larger than the region, for example {@code java -Xmx2g
 * -cp bench/target/benchmarks.jar org.smmulab.bench.memory.MemoryFootprint 1024} for 1 GiB (the
 * argument is the region size in MiB, default 1024).
 */
public final class MemoryFootprint {
  /** Where the touched region starts in the 48-bit space. */
  static final long REGION_BASE = 0x40_0000_0000L;

  /**
   * What one measurement found.
   *
   * @param touchedBytes bytes of allocated frames (the data the memory holds)
   * @param estimatedBytes {@link PhysicalMemory#footprintBytes()}
   * @param measuredBytes total size of the memory's object graph as JOL walks it
   */
  public record Report(long touchedBytes, long estimatedBytes, long measuredBytes) {
    /** Estimated overhead over the touched bytes, in percent. */
    public double estimatedOverheadPercent() {
      return 100.0 * (estimatedBytes - touchedBytes) / touchedBytes;
    }

    /** Measured overhead over the touched bytes, in percent. */
    public double measuredOverheadPercent() {
      return 100.0 * (measuredBytes - touchedBytes) / touchedBytes;
    }

    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "touched %d MiB: estimate %d bytes (overhead %.3f%%), JOL %d bytes (overhead %.3f%%)",
          touchedBytes >> 20,
          estimatedBytes,
          estimatedOverheadPercent(),
          measuredBytes,
          measuredOverheadPercent());
    }
  }

  private MemoryFootprint() {}

  /**
   * Touches every frame of {@code regionBytes} bytes from {@link #REGION_BASE} in a fresh 48-bit
   * memory and measures it.
   *
   * @param regionBytes a positive multiple of {@value PhysicalMemory#FRAME_BYTES}
   */
  public static Report measure(long regionBytes) throws BusAbort {
    if (regionBytes <= 0 || regionBytes % PhysicalMemory.FRAME_BYTES != 0) {
      throw new IllegalArgumentException(
          "region of " + regionBytes + " bytes is not a positive number of 4 KiB frames");
    }
    PhysicalMemory memory = new PhysicalMemory(48);
    for (long offset = 0; offset < regionBytes; offset += PhysicalMemory.FRAME_BYTES) {
      memory.write64(REGION_BASE + offset, offset | 1);
    }
    long measured = GraphLayout.parseInstance(memory).totalSize();
    return new Report(memory.touchedBytes(), memory.footprintBytes(), measured);
  }

  /** Prints one {@link Report}; the optional argument is the region size in MiB. */
  public static void main(String[] args) throws BusAbort {
    long mebibytes = args.length > 0 ? Long.parseLong(args[0]) : 1024;
    System.out.println(measure(mebibytes << 20));
  }
}
