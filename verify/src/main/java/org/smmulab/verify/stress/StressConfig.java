package org.smmulab.verify.stress;

import java.util.Set;
import org.smmulab.driver.inject.Injection;

/**
 * What a stress run does.
 *
 * @param seconds how long to run (0 to run {@code operations} driver operations instead)
 * @param operations how many driver operations to run when {@code seconds} is 0
 * @param seed the seed of every random choice
 * @param dmaThreads threads issuing DMA (one more thread performs the driver operations)
 * @param smmus SMMU instances
 * @param devices devices, spread over the instances; every other one has ATS
 * @param domains paging domains, alternately stage 1 and stage 2
 * @param preset the hardware preset of every instance
 * @param injections driver bugs to inject
 */
public record StressConfig(
    double seconds,
    long operations,
    long seed,
    int dmaThreads,
    int smmus,
    int devices,
    int domains,
    String preset,
    Set<Injection> injections) {

  /** The defaults: 20 seconds, seed 1, 2 DMA threads, 2 instances, 8 devices, 4 domains. */
  public static StressConfig defaults() {
    return new StressConfig(20, 0, 1, 2, 2, 8, 4, "mmu-700-like", Set.of());
  }

  /**
   * Checks the values.
   *
   * @throws IllegalArgumentException naming the value that is out of range
   */
  public StressConfig {
    injections = Set.copyOf(injections);
    if (seconds < 0 || operations < 0 || (seconds == 0 && operations == 0)) {
      throw new IllegalArgumentException("give a positive --seconds or --ops");
    }
    if (dmaThreads < 1 || dmaThreads > 64) {
      throw new IllegalArgumentException("--threads must be 1..64, got " + dmaThreads);
    }
    if (smmus < 1 || smmus > 16) {
      throw new IllegalArgumentException("--smmus must be 1..16, got " + smmus);
    }
    if (devices < 1 || devices > 256) {
      throw new IllegalArgumentException("--devices must be 1..256, got " + devices);
    }
    if (domains < 1 || domains > 64) {
      throw new IllegalArgumentException("--domains must be 1..64, got " + domains);
    }
  }
}
