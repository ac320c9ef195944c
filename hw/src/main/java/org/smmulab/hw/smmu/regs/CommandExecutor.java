package org.smmulab.hw.smmu.regs;

import org.smmulab.arch.cmd.Command;

/**
 * What the command queue consumer hands legal commands to: the rest of the instance (caches,
 * endpoints). Called on the consuming thread, one command at a time, never concurrently.
 */
public interface CommandExecutor {
  /**
   * Performs one command {@link CommandValidator} accepted. A CMD_SYNC arrives here after {@link
   * #completeOutstanding()} succeeded, for the executor's records; it has nothing left to do.
   */
  void execute(Command command);

  /**
   * Called when a CMD_SYNC is reached: completes every earlier command (ATC invalidations sent to
   * endpoints included).
   *
   * @return whether everything completed; {@code false} when an ATC invalidation failed since the
   *     last CMD_SYNC, which ends this CMD_SYNC with CERROR_ATC_INV_SYNC
   */
  boolean completeOutstanding();

  /**
   * Told when consumption stops at {@code command} (the raw entry; for CERROR_ABT the entry could
   * not be read and is {@code null}). Does nothing by default.
   *
   * @param reason a short reason for traces
   */
  default void stopped(Command command, CommandError error, String reason) {}
}
