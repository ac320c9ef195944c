package org.smmulab.peer.qemu;

/**
 * The link to the guest broke: QEMU exited, a reply did not come in time, or the stub answered
 * something no request can produce. Nothing on that machine can be trusted afterwards; the owner
 * closes it. Unchecked, because it can surface through {@link org.smmulab.arch.bus.RegisterBus},
 * whose accesses cannot fail on a working machine.
 */
public final class PeerLinkException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what broke, with whatever QEMU printed on its standard error
   */
  public PeerLinkException(String message) {
    super(message);
  }

  /**
   * @param message what broke
   * @param cause the underlying failure
   */
  public PeerLinkException(String message, Throwable cause) {
    super(message, cause);
  }
}
