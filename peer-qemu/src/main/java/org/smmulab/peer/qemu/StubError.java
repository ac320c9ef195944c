package org.smmulab.peer.qemu;

/**
 * The guest stub refused or failed a request and said why (its {@code err ...} reply): a
 * synchronous abort on the access, a misaligned address, a timeout while polling.
 */
public final class StubError extends Exception {
  private static final long serialVersionUID = 1L;

  private final String reply;

  /**
   * @param request the command line sent
   * @param reply the stub's reply, starting with {@code err}
   */
  public StubError(String request, String reply) {
    super("guest stub: '" + request + "' -> '" + reply + "'");
    this.reply = reply;
  }

  /** The stub's reply line. */
  public String reply() {
    return reply;
  }

  /** Whether the access took a synchronous exception (nothing exists at that address). */
  public boolean isAbort() {
    return reply.startsWith("err abort");
  }
}
