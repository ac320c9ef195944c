package org.smmulab.peer.diff;

import org.smmulab.driver.pgtable.Prot;

/**
 * One step of a peer run: a driver call, or a DMA by one edu device. Devices and domains are
 * indexes into the world's lists.
 */
public sealed interface PeerOp {
  /** A one-line description for reports. */
  String describe();

  /** Attach device {@code device} to domain {@code domain}. */
  record Attach(int device, int domain) implements PeerOp {
    @Override
    public String describe() {
      return "attach edu" + device + " to d" + domain;
    }
  }

  /** Detach device {@code device} (its stream becomes blocked). */
  record Detach(int device) implements PeerOp {
    @Override
    public String describe() {
      return "detach edu" + device;
    }
  }

  /** Map {@code [iova, iova + size)} of domain {@code domain} to {@code pa} with {@code prot}. */
  record Map(int domain, long iova, long pa, long size, int prot) implements PeerOp {
    @Override
    public String describe() {
      return String.format(
          "map d%d 0x%x -> 0x%x size 0x%x %s", domain, iova, pa, size, Prot.describe(prot));
    }
  }

  /** Unmap {@code [iova, iova + size)} of domain {@code domain}. */
  record Unmap(int domain, long iova, long size) implements PeerOp {
    @Override
    public String describe() {
      return String.format("unmap d%d 0x%x size 0x%x", domain, iova, size);
    }
  }

  /** A copy by device {@code device} between IOVA {@code iova} and its buffer. */
  record Dma(int device, boolean toMemory, long iova, int bufferOffset, int length)
      implements PeerOp {
    @Override
    public String describe() {
      return String.format(
          "dma edu%d %s 0x%x len 0x%x buf +0x%x",
          device, toMemory ? "write" : "read", iova, length, bufferOffset);
    }

    /** One past the last IOVA the copy reaches. */
    public long end() {
      return iova + length;
    }
  }
}
