package org.smmulab.peer.scenario;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository's example scenario for the QEMU peer. */
public final class PeerExamples {
  /** Its file name in {@code examples/}. */
  public static final String FILE = "06-qemu-peer.yaml";

  private PeerExamples() {}

  /** {@code examples/06-qemu-peer.yaml} of the repository this module belongs to. */
  public static Path qemuPeer() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path candidate = p.resolve("examples").resolve(FILE);
      if (Files.isRegularFile(candidate) && Files.exists(p.resolve("pom.xml"))) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "no examples/" + FILE + " above " + Path.of("").toAbsolutePath());
  }
}
