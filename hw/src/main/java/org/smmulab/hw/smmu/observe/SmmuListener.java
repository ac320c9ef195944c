package org.smmulab.hw.smmu.observe;

import org.smmulab.arch.cmd.Command;
import org.smmulab.arch.event.EventRecord;
import org.smmulab.hw.pcie.AtsCompletion;
import org.smmulab.hw.smmu.txn.Transaction;
import org.smmulab.hw.smmu.txn.TranslationOutcome;

/**
 * Receives what one SMMU instance does, for tracing. Every method has an empty default, so a
 * listener implements only what it wants; {@link #NONE} is the instance's default, which the
 * instance recognises and does not call at all (one comparison per translation, command or event).
 *
 * <p>Calls come from the thread that did the work: commands from the command consumer (the
 * instance's own thread in asynchronous mode, the thread writing CMDQ_PROD otherwise), events and
 * translations from the translating threads. Implementations must be thread-safe, must not block
 * for long, and must not call back into the instance's registers.
 */
public interface SmmuListener {
  /** A listener that ignores everything. */
  SmmuListener NONE = new SmmuListener() {};

  /**
   * The instance consumed {@code command}.
   *
   * @param instance the instance's name
   * @param error {@code null} when the command was performed, else the CMDQ_CONS.ERR name with
   *     which consumption stopped (for example {@code "ILL"})
   */
  default void command(String instance, Command command, String error) {}

  /**
   * The instance produced {@code event}.
   *
   * @param written whether it reached the event queue (false when the queue was disabled, full or
   *     its write aborted)
   */
  default void event(String instance, EventRecord event, boolean written) {}

  /** The instance decided the fate of {@code txn}. */
  default void translation(String instance, Transaction txn, TranslationOutcome outcome) {}

  /**
   * The instance answered an ATS translation request {@code txn} from an endpoint (the endpoint
   * caches a successful completion in its ATC; its later translated accesses reach {@link
   * #translation} as such).
   */
  default void translationRequest(String instance, Transaction txn, AtsCompletion completion) {}
}
