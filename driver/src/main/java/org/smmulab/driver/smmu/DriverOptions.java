package org.smmulab.driver.smmu;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import org.smmulab.driver.inject.Injection;
import org.smmulab.driver.tags.AsidSpace;

/**
 * Driver-wide choices.
 *
 * @param cmdqLog2 the largest command queue to allocate (log2 of entries; capped by CMDQS)
 * @param evtqLog2 the largest event queue to allocate (capped by EVENTQS)
 * @param syncTimeout how long a CMD_SYNC or an ACK poll may take before it is reported
 * @param asidSpace per-instance ASIDs (the design) or one global space (today's Linux)
 * @param injections driver bugs to inject (empty for a correct driver)
 */
public record DriverOptions(
    int cmdqLog2,
    int evtqLog2,
    Duration syncTimeout,
    AsidSpace asidSpace,
    Set<Injection> injections) {
  /** 4096-entry command queues, 1024-entry event queues, 5 s timeouts, per-instance ASIDs. */
  public static final DriverOptions DEFAULTS =
      new DriverOptions(12, 10, Duration.ofSeconds(5), AsidSpace.PER_INSTANCE, Set.of());

  /** Without injections. */
  public DriverOptions(int cmdqLog2, int evtqLog2, Duration syncTimeout, AsidSpace asidSpace) {
    this(cmdqLog2, evtqLog2, syncTimeout, asidSpace, Set.of());
  }

  /** Checks the values and copies the injections. */
  public DriverOptions {
    Objects.requireNonNull(syncTimeout, "syncTimeout");
    Objects.requireNonNull(asidSpace, "asidSpace");
    injections = injections.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(injections));
    if (cmdqLog2 < 7 || cmdqLog2 > 19 || evtqLog2 < 1 || evtqLog2 > 19) {
      throw new IllegalArgumentException(
          "queue sizes must be 2^7..2^19 commands and 2^1..2^19 events");
    }
  }

  /** These options with {@code injection} switched on. */
  public DriverOptions with(Injection injection) {
    Set<Injection> all = EnumSet.noneOf(Injection.class);
    all.addAll(injections);
    all.add(injection);
    return new DriverOptions(cmdqLog2, evtqLog2, syncTimeout, asidSpace, all);
  }

  /** Whether {@code injection} is on. */
  public boolean injects(Injection injection) {
    return injections.contains(injection);
  }
}
