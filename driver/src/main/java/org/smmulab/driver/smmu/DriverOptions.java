package org.smmulab.driver.smmu;

import java.time.Duration;
import java.util.Objects;
import org.smmulab.driver.tags.AsidSpace;

/**
 * Driver-wide choices.
 *
 * @param cmdqLog2 the largest command queue to allocate (log2 of entries; capped by CMDQS)
 * @param evtqLog2 the largest event queue to allocate (capped by EVENTQS)
 * @param syncTimeout how long a CMD_SYNC or an ACK poll may take before it is reported
 * @param asidSpace per-instance ASIDs (the design) or one global space (today's Linux)
 */
public record DriverOptions(int cmdqLog2, int evtqLog2, Duration syncTimeout, AsidSpace asidSpace) {
  /** 4096-entry command queues, 1024-entry event queues, 5 s timeouts, per-instance ASIDs. */
  public static final DriverOptions DEFAULTS =
      new DriverOptions(12, 10, Duration.ofSeconds(5), AsidSpace.PER_INSTANCE);

  /** Checks the values. */
  public DriverOptions {
    Objects.requireNonNull(syncTimeout, "syncTimeout");
    Objects.requireNonNull(asidSpace, "asidSpace");
    if (cmdqLog2 < 7 || cmdqLog2 > 19 || evtqLog2 < 1 || evtqLog2 > 19) {
      throw new IllegalArgumentException(
          "queue sizes must be 2^7..2^19 commands and 2^1..2^19 events");
    }
  }
}
