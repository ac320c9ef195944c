package org.smmulab.peer.qemu;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * QEMU as a child process: the machine line of the peer facts, the guest stub as its kernel, the
 * first serial port on standard input and output (the {@link LineChannel}), and standard error kept
 * for diagnostics.
 *
 * <p>Cleanup in every case: {@link #close} ends the process (forcibly, after a short grace period),
 * and a shutdown hook registered at start does the same if the JVM exits first (normal exit,
 * Ctrl-C, a test runner tearing down). A reply that does not come in time surfaces as {@link
 * PeerLinkException}; the owner then closes the process.
 *
 * <p>Threads: one daemon thread reads standard output into a queue, one keeps the tail of standard
 * error. {@link #send} and {@link #receive} are for one thread at a time ({@link StubLink} holds
 * its lock around them); {@link #close} may come from any thread.
 */
public final class QemuProcess implements LineChannel, AutoCloseable {
  /** The machine options of the peer facts, before {@code -kernel} and the devices. */
  public static final List<String> MACHINE =
      List.of(
          "-M",
          "virt,iommu=smmuv3,highmem=off",
          "-cpu",
          "cortex-a57",
          "-m",
          "512",
          "-display",
          "none",
          "-monitor",
          "none",
          "-serial",
          "stdio");

  private static final String END_OF_OUTPUT = "\u0000end-of-output";
  private static final int STDERR_TAIL = 4096;

  private final Process process;
  private final OutputStream toGuest;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final StringBuilder stderrTail = new StringBuilder();
  private final Thread shutdownHook;
  private final List<String> command;

  private QemuProcess(List<String> command) throws IOException {
    this.command = List.copyOf(command);
    this.process = new ProcessBuilder(command).start();
    this.shutdownHook = new Thread(process::destroyForcibly, "qemu-peer-cleanup");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    this.toGuest = process.getOutputStream();
    daemon("qemu-peer-stdout", () -> pumpLines(process.getInputStream()));
    daemon("qemu-peer-stderr", () -> keepTail(process.getErrorStream()));
  }

  /**
   * Starts QEMU with {@code eduDevices} edu devices (bus 0, devices 2, 3, ...).
   *
   * @throws PeerUnavailableException if the process cannot be started
   */
  public static QemuProcess start(Path qemu, Path kernel, int eduDevices)
      throws PeerUnavailableException {
    List<String> cmd = new ArrayList<>();
    cmd.add(qemu.toString());
    cmd.addAll(MACHINE);
    cmd.add("-kernel");
    cmd.add(kernel.toString());
    for (int i = 0; i < eduDevices; i++) {
      cmd.add("-device");
      cmd.add("edu");
    }
    try {
      return new QemuProcess(cmd);
    } catch (IOException e) {
      throw new PeerUnavailableException("cannot start " + String.join(" ", cmd) + ": " + e, e);
    }
  }

  /** The command line QEMU was started with. */
  public List<String> command() {
    return command;
  }

  @Override
  public void send(String line) {
    try {
      toGuest.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
      toGuest.flush();
    } catch (IOException e) {
      throw new PeerLinkException("cannot write to QEMU (" + e.getMessage() + ")" + diagnostics());
    }
  }

  @Override
  public String receive(long timeoutNanos) {
    String line;
    try {
      line = lines.poll(timeoutNanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PeerLinkException("interrupted while waiting for the guest stub");
    }
    if (line == null) {
      throw new PeerLinkException(
          String.format(
              "the guest stub did not answer within %d ms%s",
              TimeUnit.NANOSECONDS.toMillis(timeoutNanos), diagnostics()));
    }
    if (line.equals(END_OF_OUTPUT)) {
      lines.add(END_OF_OUTPUT);
      throw new PeerLinkException("QEMU closed its output" + diagnostics());
    }
    return line;
  }

  /** Whether the process is still running. */
  public boolean alive() {
    return process.isAlive();
  }

  /** Ends QEMU: a normal termination, then a forced one after 2 seconds. Idempotent. */
  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // The hook is already running or has run; it ends the process itself.
    }
    process.destroy();
    try {
      if (!process.waitFor(2, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private String diagnostics() {
    String exit = process.isAlive() ? "running" : "exited with " + process.exitValue();
    String tail;
    synchronized (stderrTail) {
      tail = stderrTail.toString().strip();
    }
    return " [QEMU " + exit + (tail.isEmpty() ? "" : "; its standard error: " + tail) + "]";
  }

  private void pumpLines(InputStream in) {
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
      String line;
      while ((line = reader.readLine()) != null) {
        lines.add(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
      }
    } catch (IOException e) {
      // The process ended; the marker below tells the reader.
    }
    lines.add(END_OF_OUTPUT);
  }

  private void keepTail(InputStream in) {
    byte[] buf = new byte[1024];
    try (in) {
      int n;
      while ((n = in.read(buf)) > 0) {
        synchronized (stderrTail) {
          stderrTail.append(new String(buf, 0, n, StandardCharsets.UTF_8));
          if (stderrTail.length() > STDERR_TAIL) {
            stderrTail.delete(0, stderrTail.length() - STDERR_TAIL);
          }
        }
      }
    } catch (IOException e) {
      // The process ended; what was read is kept.
    }
  }

  private static void daemon(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    t.start();
  }
}
