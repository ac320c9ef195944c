package org.smmulab.peer.qemu;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The two programs the QEMU peer needs, found on {@code PATH} (or given by the system properties
 * {@code smmulab.qemu} and {@code smmulab.cross-gcc}).
 *
 * @param qemu {@code qemu-system-aarch64} (Debian package {@code qemu-system-arm})
 * @param crossGcc {@code aarch64-linux-gnu-gcc} (Debian package {@code gcc-aarch64-linux-gnu})
 */
public record PeerTools(Path qemu, Path crossGcc) {
  /** The QEMU binary's name. */
  public static final String QEMU = "qemu-system-aarch64";

  /** The cross-compiler's name. */
  public static final String CROSS_GCC = "aarch64-linux-gnu-gcc";

  /** The command that installs both on Debian and Ubuntu. */
  public static final String INSTALL_LINE =
      "sudo apt-get install -y qemu-system-arm gcc-aarch64-linux-gnu";

  /**
   * Finds both programs.
   *
   * @throws PeerUnavailableException naming what is missing and the {@code apt-get} line
   */
  public static PeerTools find() throws PeerUnavailableException {
    Optional<Path> qemu = locate("smmulab.qemu", QEMU);
    Optional<Path> gcc = locate("smmulab.cross-gcc", CROSS_GCC);
    List<String> missing = new ArrayList<>();
    if (qemu.isEmpty()) {
      missing.add(QEMU + " (package qemu-system-arm)");
    }
    if (gcc.isEmpty()) {
      missing.add(CROSS_GCC + " (package gcc-aarch64-linux-gnu)");
    }
    if (!missing.isEmpty()) {
      throw new PeerUnavailableException(
          "the QEMU peer needs "
              + String.join(" and ", missing)
              + ", not found on PATH; install with: "
              + INSTALL_LINE);
    }
    return new PeerTools(qemu.get(), gcc.get());
  }

  private static Optional<Path> locate(String property, String name) {
    String given = System.getProperty(property);
    if (given != null && !given.isBlank()) {
      Path p = Path.of(given);
      return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
    }
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
