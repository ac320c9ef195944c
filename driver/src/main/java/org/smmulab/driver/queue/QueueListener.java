package org.smmulab.driver.queue;

import org.smmulab.arch.cmd.Command;
import org.smmulab.arch.event.EventRecord;

/**
 * Told what the queues of one instance report. Every method has an empty default. Called on the
 * thread that noticed it (a submitter, or the interrupt handler's thread); implementations must be
 * thread-safe and quick.
 */
public interface QueueListener {
  /** A listener that ignores everything. */
  QueueListener NONE = new QueueListener() {};

  /**
   * The command queue stopped with CMDQ_CONS.ERR {@code error} ("ILL", "ABT", "ATC_INV_SYNC") at
   * {@code command} (for ILL the command that was replaced by a CMD_SYNC).
   */
  default void commandError(String instance, String error, Command command) {}

  /** A CMD_SYNC did not complete in time; {@code details} names the indexes involved. */
  default void syncTimeout(String instance, String details) {}

  /** An event record was read from the event queue. */
  default void event(String instance, EventRecord event) {}

  /** The event queue overflowed (records were lost) and the overflow was acknowledged. */
  default void eventOverflow(String instance) {}

  /** Global errors other than CMDQ_ERR were active and have been acknowledged ({@code bits}). */
  default void globalErrors(String instance, int bits) {}
}
