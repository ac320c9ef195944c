package org.smmulab.peer.qemu;

import java.util.ArrayList;
import java.util.List;

/**
 * PCI configuration space through the ECAM window: function config space at {@code base + (bus <<
 * 20 | device << 15 | function << 12)}.
 */
public final class Ecam {
  private static final int HEADER_TYPE = 0x0c;
  private static final int MULTI_FUNCTION = 0x80 << 16;

  private final StubLink link;
  private final long base;

  /**
   * @param base physical address of bus 0, device 0, function 0
   */
  public Ecam(StubLink link, long base) {
    this.link = link;
    this.base = base;
  }

  /** Reads the 32-bit config register at {@code offset} of {@code f}. */
  public int read32(PciFunction f, int offset) {
    return read32(f.bus(), f.device(), f.function(), offset);
  }

  /** Writes the 32-bit config register at {@code offset} of {@code f}. */
  public void write32(PciFunction f, int offset, int value) {
    try {
      link.write32(address(f.bus(), f.device(), f.function(), offset), value);
    } catch (StubError e) {
      throw new PeerLinkException(
          "ECAM write to " + f + " +0x" + Integer.toHexString(offset) + " failed", e);
    }
  }

  /** Every function on bus {@code bus} (vendor ID other than 0xffff), in device order. */
  public List<PciFunction> enumerate(int bus) {
    List<PciFunction> found = new ArrayList<>();
    for (int dev = 0; dev < 32; dev++) {
      int id = read32(bus, dev, 0, 0);
      if ((id & 0xffff) == 0xffff) {
        continue;
      }
      boolean multi = (read32(bus, dev, 0, HEADER_TYPE) & MULTI_FUNCTION) != 0;
      for (int fn = 0; fn < (multi ? 8 : 1); fn++) {
        int fid = fn == 0 ? id : read32(bus, dev, fn, 0);
        if ((fid & 0xffff) != 0xffff) {
          found.add(new PciFunction(bus, dev, fn, fid & 0xffff, fid >>> 16));
        }
      }
    }
    return found;
  }

  private int read32(int bus, int dev, int fn, int offset) {
    try {
      return link.read32(address(bus, dev, fn, offset));
    } catch (StubError e) {
      throw new PeerLinkException(
          String.format("ECAM read of %02x:%02x.%d +0x%x failed", bus, dev, fn, offset), e);
    }
  }

  private long address(int bus, int dev, int fn, int offset) {
    return base + ((long) bus << 20 | (long) dev << 15 | (long) fn << 12 | offset);
  }
}
