package org.smmulab.driver.probe;

/** The instance reports something the driver cannot work with; the message says what. */
public final class ProbeException extends Exception {
  private static final long serialVersionUID = 1L;

  /**
   * @param message which ID register field is unacceptable and why
   */
  public ProbeException(String message) {
    super(message);
  }
}
