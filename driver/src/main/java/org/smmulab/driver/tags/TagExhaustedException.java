package org.smmulab.driver.tags;

/** No ASID or VMID is left on an instance: the attach that needed one fails, changing nothing. */
public final class TagExhaustedException extends Exception {
  private static final long serialVersionUID = 1L;

  /**
   * @param message which id space ran out, on which instance, and its size
   */
  public TagExhaustedException(String message) {
    super(message);
  }
}
