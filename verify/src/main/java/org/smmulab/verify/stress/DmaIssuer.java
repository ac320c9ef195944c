package org.smmulab.verify.stress;

import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.smmulab.hw.pcie.DmaRequest;
import org.smmulab.hw.pcie.DmaResult;
import org.smmulab.hw.pcie.Endpoint;
import org.smmulab.verify.oracle.LogicalClock;
import org.smmulab.verify.oracle.Oracle;
import org.smmulab.verify.oracle.Violation;

/**
 * Issues one 8-byte DMA (read or write) from a device, stamps it with the logical clock, has the
 * oracle judge it and hands any violation on. Every DMA issued is judged; none is sampled.
 *
 * <p>Thread-safe: each calling thread uses its own slot and its own write buffer.
 */
final class DmaIssuer {
  private final StressWorld world;
  private final Oracle oracle;
  private final LogicalClock clock;
  private final DmaSlots slots;
  private final Consumer<Violation> violations;

  DmaIssuer(StressWorld world, Oracle oracle, DmaSlots slots, Consumer<Violation> violations) {
    this.world = world;
    this.oracle = oracle;
    this.clock = oracle.clock();
    this.slots = slots;
    this.violations = violations;
  }

  /**
   * DMA of device {@code dev} (SubstreamID {@code ssid}, 0 for none) to a random aligned word of
   * the page at {@code iova}; writes are 3 in 10 (SubstreamID DMAs only read).
   *
   * @param slot the calling thread's slot in the {@link DmaSlots}
   * @param zeros an 8-byte buffer owned by the calling thread, written by write DMAs
   */
  void issue(int slot, int dev, int ssid, long iova, SplittableRandom random, byte[] zeros) {
    Endpoint ep = world.endpoints.get(dev);
    int sid = world.streamIds[dev];
    long address = iova + ((long) random.nextInt(512) << 3);
    boolean write = ssid == 0 && random.nextInt(10) >= 7;
    DmaRequest request =
        write
            ? new DmaRequest(sid, false, 0, address, 8, true, false, false, zeros)
            : ssid == 0
                ? DmaRequest.read(sid, address, 8)
                : new DmaRequest(sid, true, ssid, address, 8, false, false, false, null);
    world.noteIova(dev, ssid, random.nextInt(StressWorld.RECENT), iova);
    long t0 = slots.begin(slot);
    DmaResult result = ep.dma(request);
    long t1 = clock.end();
    Violation v = oracle.check(world.handles[dev][ssid], request, result, t0, t1);
    slots.end(slot);
    if (v != null) {
      violations.accept(v);
    }
  }
}
