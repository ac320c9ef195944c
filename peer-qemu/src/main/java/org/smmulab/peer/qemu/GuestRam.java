package org.smmulab.peer.qemu;

import org.smmulab.arch.bus.BusAbort;
import org.smmulab.arch.bus.Memory;

/**
 * The guest's RAM as {@link Memory}, through the stub. Only {@code [base, base + size)} exists for
 * it: anything else is a {@link BusAbort}, so the driver can never poke device registers through
 * what it believes is memory.
 *
 * <p>64-bit writes are combined ({@link StubLink#postWrite64}); every read and every other request
 * sends them first. The guest runs one CPU and nothing else writes RAM while the host waits (see
 * {@link StubLink}), so aligned 32/64-bit accesses are single-copy atomic as the contract asks.
 */
public final class GuestRam implements Memory {
  private static final int BLOCK = 1024;

  private final StubLink link;
  private final long base;
  private final long size;

  /**
   * @param base first byte of RAM
   * @param size RAM size in bytes
   */
  public GuestRam(StubLink link, long base, long size) {
    this.link = link;
    this.base = base;
    this.size = size;
  }

  @Override
  public long read64(long pa) throws BusAbort {
    check(pa, 8);
    try {
      return link.readRam(pa, 8, base + size);
    } catch (StubError e) {
      throw abort(pa, e);
    }
  }

  @Override
  public void write64(long pa, long value) throws BusAbort {
    check(pa, 8);
    link.postWrite64(pa, value);
  }

  @Override
  public boolean compareAndSet64(long pa, long expected, long update) throws BusAbort {
    check(pa, 8);
    try {
      return link.compareAndSet64(pa, expected, update);
    } catch (StubError e) {
      throw abort(pa, e);
    }
  }

  @Override
  public int read32(long pa) throws BusAbort {
    check(pa, 4);
    try {
      return (int) link.readRam(pa, 4, base + size);
    } catch (StubError e) {
      throw abort(pa, e);
    }
  }

  @Override
  public void write32(long pa, int value) throws BusAbort {
    check(pa, 4);
    try {
      link.write32(pa, value);
    } catch (StubError e) {
      throw abort(pa, e);
    }
  }

  @Override
  public byte read8(long pa) throws BusAbort {
    byte[] one = new byte[1];
    read(pa, one, 0, 1);
    return one[0];
  }

  @Override
  public void write8(long pa, byte value) throws BusAbort {
    write(pa, new byte[] {value}, 0, 1);
  }

  @Override
  public void read(long pa, byte[] dst, int offset, int length) throws BusAbort {
    checkRange(pa, length);
    try {
      for (int done = 0; done < length; done += BLOCK) {
        int n = Math.min(BLOCK, length - done);
        System.arraycopy(link.readBlock(pa + done, n), 0, dst, offset + done, n);
      }
    } catch (StubError e) {
      throw abort(pa, e);
    }
  }

  @Override
  public void write(long pa, byte[] src, int offset, int length) throws BusAbort {
    checkRange(pa, length);
    try {
      for (int done = 0; done < length; done += BLOCK) {
        link.writeBlock(pa + done, src, offset + done, Math.min(BLOCK, length - done));
      }
    } catch (StubError e) {
      throw abort(pa, e);
    }
  }

  @Override
  public int addressBits() {
    return 44;
  }

  /** Whether {@code [pa, pa + length)} is RAM. */
  public boolean contains(long pa, long length) {
    return length >= 0 && pa >= base && pa - base <= size - length;
  }

  private void check(long pa, int bytes) throws BusAbort {
    if ((pa & (bytes - 1)) != 0) {
      throw new BusAbort(pa, "misaligned " + 8 * bytes + "-bit access");
    }
    checkRange(pa, bytes);
  }

  private void checkRange(long pa, long length) throws BusAbort {
    if (!contains(pa, length)) {
      throw new BusAbort(pa, String.format("outside guest RAM [0x%x, 0x%x)", base, base + size));
    }
  }

  private static BusAbort abort(long pa, StubError e) {
    if (e.isAbort()) {
      return new BusAbort(pa, e.reply());
    }
    throw new PeerLinkException("RAM access refused by the guest stub: " + e.getMessage(), e);
  }
}
