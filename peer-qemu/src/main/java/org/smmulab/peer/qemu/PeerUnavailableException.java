package org.smmulab.peer.qemu;

/**
 * The QEMU peer cannot run on this machine: a tool is missing, or the guest stub does not build.
 * The message says what is missing and how to install it.
 */
public final class PeerUnavailableException extends Exception {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what is missing and how to fix it
   */
  public PeerUnavailableException(String message) {
    super(message);
  }

  /**
   * @param message what failed
   * @param cause the underlying failure
   */
  public PeerUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
