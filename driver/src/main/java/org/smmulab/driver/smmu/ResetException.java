package org.smmulab.driver.smmu;

/** The instance did not come up: an ACK, handshake or reset command did not complete in time. */
public final class ResetException extends Exception {
  private static final long serialVersionUID = 1L;

  /**
   * @param message which step failed, on which instance
   */
  public ResetException(String message) {
    super(message);
  }
}
