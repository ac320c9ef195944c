package org.smmulab.bench.pgtable;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import org.smmulab.arch.bus.BusAbort;
import org.smmulab.arch.bus.Memory;

/**
 * A flat little-endian {@link Memory} of one byte array at {@code [base, base + size)}, for
 * benchmarks only (the hardware model's physical memory is the one to measure against once it is
 * available to this module). Aligned 64- and 32-bit accesses use volatile or compare-and-set view
 * accesses, so they keep the interface's atomicity and ordering rules.
 */
final class BenchMemory implements Memory {
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INTS =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

  private final long base;
  private final byte[] bytes;

  /**
   * @param base first physical address
   * @param size bytes, at most {@link Integer#MAX_VALUE} minus a little
   */
  BenchMemory(long base, int size) {
    this.base = base;
    this.bytes = new byte[size];
  }

  private int offset(long pa, int size) throws BusAbort {
    long off = pa - base;
    if (off < 0 || off + size > bytes.length) {
      throw new BusAbort(pa, "outside the benchmark RAM");
    }
    if ((pa & (size - 1)) != 0) {
      throw new BusAbort(pa, "misaligned " + (size * 8) + "-bit access");
    }
    return (int) off;
  }

  @Override
  public long read64(long pa) throws BusAbort {
    return (long) LONGS.getVolatile(bytes, offset(pa, 8));
  }

  @Override
  public void write64(long pa, long value) throws BusAbort {
    LONGS.setVolatile(bytes, offset(pa, 8), value);
  }

  @Override
  public boolean compareAndSet64(long pa, long expected, long update) throws BusAbort {
    return LONGS.compareAndSet(bytes, offset(pa, 8), expected, update);
  }

  @Override
  public int read32(long pa) throws BusAbort {
    return (int) INTS.getVolatile(bytes, offset(pa, 4));
  }

  @Override
  public void write32(long pa, int value) throws BusAbort {
    INTS.setVolatile(bytes, offset(pa, 4), value);
  }

  @Override
  public byte read8(long pa) throws BusAbort {
    return bytes[offset(pa, 1)];
  }

  @Override
  public void write8(long pa, byte value) throws BusAbort {
    bytes[offset(pa, 1)] = value;
  }

  @Override
  public void read(long pa, byte[] dst, int offset, int length) throws BusAbort {
    int from = offset(pa, 1);
    offset(pa + Math.max(length, 1) - 1, 1);
    System.arraycopy(bytes, from, dst, offset, length);
  }

  @Override
  public void write(long pa, byte[] src, int offset, int length) throws BusAbort {
    int to = offset(pa, 1);
    offset(pa + Math.max(length, 1) - 1, 1);
    System.arraycopy(src, offset, bytes, to, length);
  }

  @Override
  public int addressBits() {
    return 48;
  }
}
