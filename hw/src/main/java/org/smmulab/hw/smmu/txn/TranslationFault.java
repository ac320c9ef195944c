package org.smmulab.hw.smmu.txn;

import org.smmulab.arch.event.EventRecord;

/**
 * A transaction was terminated inside the translation pipeline (configuration error, fetch abort,
 * translation fault). It carries the event to record, or {@code null} when the architecture says
 * the fault is not recorded (CD.R or STE.S2R clear). Thrown only between the pipeline's own stages
 * and turned into a {@link TranslationOutcome} before it leaves the SMMU; it has no stack trace.
 */
public final class TranslationFault extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient EventRecord event;

  /**
   * @param event the event to record, or {@code null} if none is recorded
   * @param reason a short human-readable reason, for traces
   */
  public TranslationFault(EventRecord event, String reason) {
    super(reason, null, false, false);
    this.event = event;
  }

  /** The event to record, or {@code null}. */
  public EventRecord event() {
    return event;
  }
}
