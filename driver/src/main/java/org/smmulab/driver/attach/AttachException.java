package org.smmulab.driver.attach;

/** An attach that could not be done. Nothing changed: every array, tag, STE and CD is as before. */
public final class AttachException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why an attach failed. */
  public enum Kind {
    /** No ASID or VMID was free on the master's instance. */
    TAG_EXHAUSTED,
    /** The domain's page table cannot be used by the master's instance. */
    CANNOT_SHARE,
    /** Table memory (CD table or leaf) ran out. */
    OUT_OF_MEMORY,
    /** The request is not supported (for example a SubstreamID on a master without any). */
    UNSUPPORTED
  }

  private final Kind kind;

  /**
   * @param kind why
   * @param message what, naming the master, domain and instance
   */
  public AttachException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  /** Why the attach failed. */
  public Kind kind() {
    return kind;
  }
}
