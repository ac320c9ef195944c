package org.smmulab.peer.qemu;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Starts the QEMU peer for a test class. Where QEMU or the cross-compiler is missing the test is
 * skipped with the install line, except under {@code CI=true}, where it fails.
 */
final class QemuPeers {
  private QemuPeers() {}

  static QemuMachine startOrSkip(int eduDevices) {
    try {
      return QemuMachine.start(eduDevices);
    } catch (PeerUnavailableException e) {
      if ("true".equals(System.getenv("CI"))) {
        return Assertions.fail("CI=true needs the QEMU peer: " + e.getMessage(), e);
      }
      Assumptions.abort("QEMU peer tests skipped: " + e.getMessage());
      throw new IllegalStateException("unreachable", e);
    }
  }
}
