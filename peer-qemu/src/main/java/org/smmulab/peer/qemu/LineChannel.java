package org.smmulab.peer.qemu;

/**
 * A bidirectional line stream to the guest stub (its UART). Lines carry no terminator.
 *
 * <p>Not thread-safe: {@link StubLink} serialises its users.
 */
public interface LineChannel {
  /**
   * Sends one line.
   *
   * @throws PeerLinkException if the other side is gone
   */
  void send(String line);

  /**
   * The next line, waiting at most {@code timeoutNanos}.
   *
   * @throws PeerLinkException if none came in time or the other side is gone
   */
  String receive(long timeoutNanos);
}
