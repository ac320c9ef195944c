package org.smmulab.peer.qemu;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The guest stub's ELF image, built from the sources shipped in this module ({@code
 * src/main/guest}: {@code start.S}, {@code stub.c}, {@code stub.ld}) with {@code
 * aarch64-linux-gnu-gcc} the first time it is needed, never by Maven.
 *
 * <p>The image goes to {@code <cache>/guest-<hash>/stub.elf}, where the hash covers the sources and
 * the compiler flags, so a changed source builds a new image and an unchanged one is reused. The
 * cache is the system property {@code smmulab.guest.cache}, else {@code $XDG_CACHE_HOME/smmulab},
 * else {@code ~/.cache/smmulab}. Builds happen in a private directory that is renamed into place,
 * so concurrent builders never see a half-written image.
 */
public final class GuestImage {
  /** The source files, in the order given to the compiler (the linker script is passed by -T). */
  static final List<String> SOURCES = List.of("start.S", "stub.c", "stub.ld");

  static final List<String> FLAGS =
      List.of(
          "-O2",
          "-Wall",
          "-Wextra",
          "-Werror",
          "-ffreestanding",
          "-nostdlib",
          "-nostartfiles",
          "-static",
          "-fno-pie",
          "-no-pie",
          "-mgeneral-regs-only",
          "-mstrict-align",
          "-fno-builtin",
          "-fno-tree-loop-distribute-patterns",
          "-fno-stack-protector",
          "-Wl,--build-id=none",
          "-Wl,--no-warn-rwx-segments");

  private static final String RESOURCE_DIR = "/org/smmulab/peer/qemu/guest/";
  private static final long BUILD_SECONDS = 120;

  private GuestImage() {}

  /**
   * The stub image, built with {@code crossGcc} if it is not in the cache yet.
   *
   * @throws PeerUnavailableException if the sources are missing or the compiler fails (its output
   *     is in the message)
   */
  public static Path ensureBuilt(Path crossGcc) throws PeerUnavailableException {
    List<byte[]> sources = new ArrayList<>();
    for (String name : SOURCES) {
      sources.add(readSource(name));
    }
    Path dir = cacheRoot().resolve("guest-" + hash(sources));
    Path elf = dir.resolve("stub.elf");
    if (Files.isRegularFile(elf)) {
      return elf;
    }
    try {
      Files.createDirectories(dir.getParent());
      Path work = Files.createTempDirectory(dir.getParent(), "build-");
      for (int i = 0; i < SOURCES.size(); i++) {
        Files.write(work.resolve(SOURCES.get(i)), sources.get(i));
      }
      compile(crossGcc, work);
      try {
        Files.move(work, dir, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException | java.nio.file.FileAlreadyExistsException e) {
        deleteTree(work);
      } catch (IOException e) {
        if (!Files.isRegularFile(elf)) {
          throw e;
        }
        deleteTree(work);
      }
    } catch (IOException e) {
      throw new PeerUnavailableException("cannot build the guest stub in " + dir + ": " + e, e);
    }
    return elf;
  }

  private static void compile(Path crossGcc, Path work)
      throws IOException, PeerUnavailableException {
    List<String> cmd = new ArrayList<>();
    cmd.add(crossGcc.toString());
    cmd.addAll(FLAGS);
    cmd.addAll(List.of("-T", "stub.ld", "-o", "stub.elf", "start.S", "stub.c"));
    Process p = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true).start();
    String output;
    try (InputStream in = p.getInputStream()) {
      output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    try {
      if (!p.waitFor(BUILD_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new PeerUnavailableException("building the guest stub took over 2 minutes");
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new PeerUnavailableException("interrupted while building the guest stub", e);
    }
    if (p.exitValue() != 0 || !Files.isRegularFile(work.resolve("stub.elf"))) {
      throw new PeerUnavailableException(
          "building the guest stub failed (" + String.join(" ", cmd) + "):\n" + output);
    }
  }

  private static byte[] readSource(String name) throws PeerUnavailableException {
    try (InputStream in = GuestImage.class.getResourceAsStream(RESOURCE_DIR + name)) {
      if (in == null) {
        throw new PeerUnavailableException(
            "guest stub source " + name + " is not on the class path (" + RESOURCE_DIR + ")");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new PeerUnavailableException("cannot read guest stub source " + name, e);
    }
  }

  static Path cacheRoot() {
    String given = System.getProperty("smmulab.guest.cache");
    if (given != null && !given.isBlank()) {
      return Path.of(given);
    }
    String xdg = System.getenv("XDG_CACHE_HOME");
    if (xdg != null && !xdg.isBlank()) {
      return Path.of(xdg, "smmulab");
    }
    return Path.of(System.getProperty("user.home"), ".cache", "smmulab");
  }

  private static String hash(List<byte[]> sources) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (byte[] s : sources) {
        sha.update(s);
        sha.update((byte) 0);
      }
      sha.update(String.join(" ", FLAGS).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  private static void deleteTree(Path root) {
    try (var walk = Files.walk(root)) {
      walk.sorted(java.util.Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    } catch (IOException | UncheckedIOException e) {
      // A leftover build directory is harmless; the next build uses a fresh one.
    }
  }
}
