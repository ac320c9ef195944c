package org.smmulab.peer.qemu;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.smmulab.peer.ScanResult;

/**
 * The host side of the guest stub's line protocol (see {@code src/main/guest/stub.c}): one request
 * line, one reply line, {@code ok ...} or {@code err ...}.
 *
 * <p>RAM writes posted with {@link #postWrite64} are combined ({@link PendingWrites}) and sent,
 * pipelined, before the next request of any other kind, so everything the guest does happens in
 * program order: a register write that makes the SMMU read memory (CMDQ_PROD, CR0) comes after the
 * table and queue writes before it. Nothing else writes guest memory while the host waits: the SMMU
 * consumes commands during the register write, and edu DMA runs only inside {@link #poll32} after
 * its start command.
 *
 * <p>RAM reads ({@link #readRam}) fetch the aligned {@value #READ_BLOCK}-byte block around the
 * address and serve further reads inside it until any other request or write: event records and
 * STEs are read word by word, and each line costs a fraction of a millisecond. Any other request
 * may change RAM (a register write starting the SMMU, a DMA), so it drops the block first.
 *
 * <p>Thread-safety: every request holds one lock from its first byte sent to its reply.
 */
public final class StubLink {
  private final LineChannel channel;
  private final long replyTimeoutNanos;
  private final ReentrantLock lock = new ReentrantLock();
  private final PendingWrites pending = new PendingWrites();
  private long requests;

  /** Bytes fetched by one RAM read. */
  static final int READ_BLOCK = 128;

  /** Base of the cached RAM block, meaningful when {@link #block} is not null; lock holder only. */
  private long blockBase;

  /** The cached RAM block, or {@code null}; lock holder only. */
  private byte[] block;

  /**
   * @param replyTimeoutMillis how long a reply may take before the link counts as broken
   */
  public StubLink(LineChannel channel, long replyTimeoutMillis) {
    this.channel = channel;
    this.replyTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(replyTimeoutMillis);
  }

  /**
   * Waits for the stub's {@code ready} line and checks its identity.
   *
   * @throws PeerLinkException if it does not come within {@code timeoutMillis} or the stub is not
   *     the one this host speaks to
   */
  public void awaitReady(long timeoutMillis) {
    lock.lock();
    try {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
      String line;
      do {
        line = channel.receive(Math.max(1, deadline - System.nanoTime()));
      } while (!line.equals("ready"));
      String id = exchange("id");
      if (!id.startsWith("ok smmulab-stub ")) {
        throw new PeerLinkException("unexpected guest: 'id' answered '" + id + "'");
      }
    } finally {
      lock.unlock();
    }
  }

  /** Requests sent so far (combined writes count once per line). */
  public long requests() {
    lock.lock();
    try {
      return requests;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Reads {@code bytes} (4 or 8, naturally aligned) of RAM at {@code pa}, little-endian, through
   * the block cache; the block never reaches {@code ramEnd}.
   */
  public long readRam(long pa, int bytes, long ramEnd) throws StubError {
    lock.lock();
    try {
      flushLocked();
      if (block == null || pa < blockBase || pa + bytes > blockBase + block.length) {
        long base = pa & -READ_BLOCK;
        int length = (int) Math.min(READ_BLOCK, ramEnd - base);
        String line = String.format("rb %x %x", base, length);
        requests++;
        channel.send(line);
        block = decode(check(line, channel.receive(replyTimeoutNanos)), length);
        blockBase = base;
      }
      int at = (int) (pa - blockBase);
      long v = 0;
      for (int i = bytes - 1; i >= 0; i--) {
        v = v << 8 | (block[at + i] & 0xff);
      }
      return v;
    } finally {
      lock.unlock();
    }
  }

  /** Reads the 32-bit word at {@code pa}. */
  public int read32(long pa) throws StubError {
    return (int) value(request(String.format("r4 %x", pa)));
  }

  /** Reads the 64-bit word at {@code pa}. */
  public long read64(long pa) throws StubError {
    return value(request(String.format("r8 %x", pa)));
  }

  /** Writes the 32-bit word at {@code pa}. */
  public void write32(long pa, int value) throws StubError {
    request(String.format("w4 %x %x", pa, Integer.toUnsignedLong(value)));
  }

  /** Writes the 64-bit word at {@code pa} now (not combined): for device registers. */
  public void write64(long pa, long value) throws StubError {
    request(String.format("w8 %x %x", pa, value));
  }

  /**
   * Queues a 64-bit RAM write; it reaches the guest, in order, before the next other request. Only
   * for RAM: a combined write may be sent as byte stores.
   */
  public void postWrite64(long pa, long value) {
    lock.lock();
    try {
      block = null;
      if (!pending.isEmpty() && !pending.extendsRun(pa)) {
        flushLocked();
      }
      pending.add(pa, value);
      if (!pending.extendsRun(pa + 8)) {
        flushLocked();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Sends the queued writes now. */
  public void flush() {
    lock.lock();
    try {
      flushLocked();
    } finally {
      lock.unlock();
    }
  }

  /** Compare-and-swap of the 64-bit word at {@code pa}; whether it was replaced. */
  public boolean compareAndSet64(long pa, long expected, long update) throws StubError {
    return value(request(String.format("cas8 %x %x %x", pa, expected, update))) == 1;
  }

  /** Sets {@code length} bytes from {@code pa} to {@code value}. */
  public void fill(long pa, long length, byte value) throws StubError {
    request(String.format("fill %x %x %x", pa, length, value & 0xff));
  }

  /** Writes the pattern with {@code seed} (see {@link org.smmulab.peer.PeerMachine#pattern}). */
  public void pattern(long pa, long length, int seed) throws StubError {
    request(String.format("pattern %x %x %x", pa, length, seed));
  }

  /** Reads {@code length} bytes (at most 1024) from {@code pa}. */
  public byte[] readBlock(long pa, int length) throws StubError {
    return decode(request(String.format("rb %x %x", pa, length)), length);
  }

  private static byte[] decode(String reply, int length) {
    String hex = reply.substring(3);
    if (hex.length() != 2 * length) {
      throw new PeerLinkException("'rb' returned " + hex.length() / 2 + " of " + length + " bytes");
    }
    byte[] out = new byte[length];
    for (int i = 0; i < length; i++) {
      int hi = Character.digit(hex.charAt(2 * i), 16);
      int lo = Character.digit(hex.charAt(2 * i + 1), 16);
      if (hi < 0 || lo < 0) {
        throw new PeerLinkException("'rb' returned a malformed byte at " + i + ": " + reply);
      }
      out[i] = (byte) (hi << 4 | lo);
    }
    return out;
  }

  /** Writes {@code length} bytes (at most 1024) from {@code src[offset..]} to {@code pa}. */
  public void writeBlock(long pa, byte[] src, int offset, int length) throws StubError {
    StringBuilder line = new StringBuilder(2 * length + 24);
    line.append(String.format("wb %x ", pa));
    for (int i = 0; i < length; i++) {
      int b = src[offset + i] & 0xff;
      line.append(Character.forDigit(b >>> 4, 16)).append(Character.forDigit(b & 15, 16));
    }
    request(line.toString());
  }

  /** The {@link org.smmulab.peer.WordDigest} of {@code [pa, pa + length)}. */
  public long digest(long pa, long length) throws StubError {
    return value(request(String.format("sum %x %x", pa, length)));
  }

  /** The bytes of {@code [pa, pa + length)} that differ from {@code value}. */
  public ScanResult scan(long pa, long length, byte value) throws StubError {
    String[] parts = request(String.format("scan %x %x %x", pa, length, value & 0xff)).split(" ");
    if (parts.length != 4) {
      throw new PeerLinkException("malformed 'scan' reply: " + String.join(" ", parts));
    }
    return new ScanResult(
        Long.parseUnsignedLong(parts[1], 16),
        Long.parseUnsignedLong(parts[2], 16),
        Long.parseUnsignedLong(parts[3], 16));
  }

  /**
   * Reads the 32-bit word at {@code pa} in the guest until {@code (word & mask) == value} or {@code
   * micros} microseconds of guest time pass.
   *
   * @return the last word read
   * @throws StubError with reply {@code err timeout ...} when the condition never held
   */
  public int poll32(long pa, int mask, int value, long micros) throws StubError {
    String line =
        String.format(
            "poll4 %x %x %x %x",
            pa, Integer.toUnsignedLong(mask), Integer.toUnsignedLong(value), micros);
    lock.lock();
    try {
      flushLocked();
      block = null;
      requests++;
      channel.send(line);
      String reply = channel.receive(replyTimeoutNanos + TimeUnit.MICROSECONDS.toNanos(micros));
      return (int) value(check(line, reply));
    } finally {
      lock.unlock();
    }
  }

  private String request(String line) throws StubError {
    lock.lock();
    try {
      flushLocked();
      block = null;
      return check(line, exchange(line));
    } finally {
      lock.unlock();
    }
  }

  private String exchange(String line) {
    assert lock.isHeldByCurrentThread();
    requests++;
    channel.send(line);
    return channel.receive(replyTimeoutNanos);
  }

  /** Sends every pending write, pipelined: all lines first, then all replies. */
  private void flushLocked() {
    assert lock.isHeldByCurrentThread();
    if (pending.isEmpty()) {
      return;
    }
    List<String> lines = pending.drain();
    for (String line : lines) {
      requests++;
      channel.send(line);
    }
    for (String line : lines) {
      String reply = channel.receive(replyTimeoutNanos);
      if (!reply.equals("ok")) {
        throw new PeerLinkException(
            "a combined RAM write failed: '" + line + "' -> '" + reply + "'");
      }
    }
  }

  private static String check(String request, String reply) throws StubError {
    if (reply.equals("ok") || reply.startsWith("ok ")) {
      return reply;
    }
    if (reply.startsWith("err")) {
      throw new StubError(request, reply);
    }
    throw new PeerLinkException("unexpected reply to '" + request + "': '" + reply + "'");
  }

  private static long value(String reply) {
    if (reply.length() < 4) {
      throw new PeerLinkException("reply without a value: '" + reply + "'");
    }
    try {
      return Long.parseUnsignedLong(reply.substring(3), 16);
    } catch (NumberFormatException e) {
      throw new PeerLinkException("reply with a malformed value: '" + reply + "'");
    }
  }
}
