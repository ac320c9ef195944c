package org.smmulab.arch.bus;

/**
 * The wired interrupt outputs of one SMMU instance, as the driver sees them: it installs one
 * handler per line, and the hardware (or whatever stands for it) runs that handler each time the
 * line fires. Interrupts are edges: a handler must read the queue or register that caused it, as
 * several firings may be merged into one.
 *
 * <p>Handlers run on a thread owned by the hardware side and must not block for long. A line with
 * no handler is ignored when it fires. MSIs are not lines: they are memory writes.
 */
public interface InterruptLines {
  /** The architected wired interrupt sources. */
  enum Line {
    /** The event queue has new records (or overflowed). */
    EVENTQ,
    /** The PRI queue has new page requests. */
    PRIQ,
    /** A global error became active (GERROR differs from GERRORN). */
    GERROR,
    /** A CMD_SYNC with CS=SIG_IRQ completed. */
    CMDQ_SYNC
  }

  /**
   * Installs the handler run when {@code line} fires, replacing any earlier one; {@code null}
   * removes it.
   */
  void setHandler(Line line, Runnable handler);
}
