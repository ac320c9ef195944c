package org.smmulab.arch.testing;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import org.smmulab.arch.bus.BusAbort;
import org.smmulab.arch.bus.Memory;

/**
 * A small, obviously correct {@link Memory} for tests of code that sits above memory (page tables,
 * queues) in modules that may not use the hardware model's {@code PhysicalMemory}. Sparse 4 KiB
 * frames of atomic longs; addresses at or above {@code 2^addressBits} abort.
 */
public final class TestMemory implements Memory {
  private final int addressBits;
  private final ConcurrentHashMap<Long, AtomicLongArray> frames = new ConcurrentHashMap<>();

  /** A memory of {@code 2^addressBits} bytes. */
  public TestMemory(int addressBits) {
    this.addressBits = addressBits;
  }

  @Override
  public int addressBits() {
    return addressBits;
  }

  /** Number of 4 KiB frames ever written. */
  public int touchedFrames() {
    return frames.size();
  }

  private void check(long pa, int size) throws BusAbort {
    if (pa < 0 || (addressBits < 64 && (pa + size - 1) >>> addressBits != 0)) {
      throw new BusAbort(pa, "outside the " + addressBits + "-bit physical address space");
    }
    if ((pa & (size - 1)) != 0) {
      throw new BusAbort(pa, "misaligned " + (size * 8) + "-bit access");
    }
  }

  private AtomicLongArray frame(long pa, boolean create) {
    Long key = pa >>> 12;
    return create ? frames.computeIfAbsent(key, k -> new AtomicLongArray(512)) : frames.get(key);
  }

  @Override
  public long read64(long pa) throws BusAbort {
    check(pa, 8);
    AtomicLongArray f = frame(pa, false);
    return f == null ? 0 : f.get((int) ((pa & 0xfff) >>> 3));
  }

  @Override
  public void write64(long pa, long value) throws BusAbort {
    check(pa, 8);
    frame(pa, true).set((int) ((pa & 0xfff) >>> 3), value);
  }

  @Override
  public boolean compareAndSet64(long pa, long expected, long update) throws BusAbort {
    check(pa, 8);
    return frame(pa, true).compareAndSet((int) ((pa & 0xfff) >>> 3), expected, update);
  }

  @Override
  public int read32(long pa) throws BusAbort {
    check(pa, 4);
    return (int) (read64(pa & ~7L) >>> ((pa & 4) * 8));
  }

  @Override
  public void write32(long pa, int value) throws BusAbort {
    check(pa, 4);
    int shift = (int) ((pa & 4) * 8);
    long mask = 0xffff_ffffL << shift;
    AtomicLongArray f = frame(pa, true);
    int i = (int) ((pa & 0xfff) >>> 3);
    f.getAndUpdate(i, old -> (old & ~mask) | (((long) value << shift) & mask));
  }

  @Override
  public byte read8(long pa) throws BusAbort {
    check(pa, 1);
    return (byte) (read64(pa & ~7L) >>> ((pa & 7) * 8));
  }

  @Override
  public void write8(long pa, byte value) throws BusAbort {
    check(pa, 1);
    int shift = (int) ((pa & 7) * 8);
    long mask = 0xffL << shift;
    AtomicLongArray f = frame(pa, true);
    int i = (int) ((pa & 0xfff) >>> 3);
    f.getAndUpdate(i, old -> (old & ~mask) | (((long) value << shift) & mask));
  }

  @Override
  public void read(long pa, byte[] dst, int offset, int length) throws BusAbort {
    check(pa, 1);
    check(pa + Math.max(length, 1) - 1, 1);
    for (int i = 0; i < length; i++) {
      dst[offset + i] = read8(pa + i);
    }
  }

  @Override
  public void write(long pa, byte[] src, int offset, int length) throws BusAbort {
    check(pa, 1);
    check(pa + Math.max(length, 1) - 1, 1);
    for (int i = 0; i < length; i++) {
      write8(pa + i, src[offset + i]);
    }
  }
}
