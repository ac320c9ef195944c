package org.smmulab.peer.qemu;

import org.smmulab.arch.bus.RegisterBus;

/**
 * A device's MMIO window in the guest (the SMMU's 128 KiB) as a {@link RegisterBus}: each access is
 * one stub request at {@code base + offset}, after any pending RAM writes.
 *
 * <p>A window access cannot fail on a working machine; if the stub reports one, the machine is not
 * the one described by the peer facts and {@link PeerLinkException} says so.
 */
public final class MmioWindow implements RegisterBus {
  private final StubLink link;
  private final long base;
  private final long size;

  /**
   * @param base physical address of offset 0
   * @param size window size in bytes
   */
  public MmioWindow(StubLink link, long base, long size) {
    this.link = link;
    this.base = base;
    this.size = size;
  }

  @Override
  public int read32(long offset) {
    try {
      return link.read32(address(offset, 4));
    } catch (StubError e) {
      throw failed(offset, e);
    }
  }

  @Override
  public void write32(long offset, int value) {
    try {
      link.write32(address(offset, 4), value);
    } catch (StubError e) {
      throw failed(offset, e);
    }
  }

  @Override
  public long read64(long offset) {
    try {
      return link.read64(address(offset, 8));
    } catch (StubError e) {
      throw failed(offset, e);
    }
  }

  @Override
  public void write64(long offset, long value) {
    try {
      link.write64(address(offset, 8), value);
    } catch (StubError e) {
      throw failed(offset, e);
    }
  }

  private long address(long offset, int bytes) {
    if (offset < 0 || offset > size - bytes || (offset & (bytes - 1)) != 0) {
      throw new IllegalArgumentException(
          String.format(
              "%d-bit access at offset 0x%x is outside the 0x%x-byte window or misaligned",
              8 * bytes, offset, size));
    }
    return base + offset;
  }

  private PeerLinkException failed(long offset, StubError e) {
    return new PeerLinkException(
        String.format("MMIO access at 0x%x + 0x%x failed: %s", base, offset, e.reply()), e);
  }
}
