package org.smmulab.arch.bus;

/**
 * An access reached no memory: the physical address does not exist, or the access was misaligned.
 * Hardware turns it into an architected abort (an event such as F_WALK_EABT, or a command-queue
 * CERROR_ABT); a driver reports it.
 *
 * <p>Thrown on the failure path only; it carries no stack trace, so raising it is cheap.
 */
public final class BusAbort extends Exception {
  private static final long serialVersionUID = 1L;

  private final long address;

  /**
   * @param address the physical address of the failed access
   * @param reason why it failed, e.g. "outside the 48-bit physical address space"
   */
  public BusAbort(long address, String reason) {
    super(String.format("bus abort at PA 0x%x: %s", address, reason), null, false, false);
    this.address = address;
  }

  /** The physical address of the access that failed. */
  public long address() {
    return address;
  }
}
