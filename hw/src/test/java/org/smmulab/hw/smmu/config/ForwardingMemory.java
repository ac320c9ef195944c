package org.smmulab.hw.smmu.config;

import org.smmulab.arch.bus.BusAbort;
import org.smmulab.arch.bus.Memory;

/** A memory that passes every access to another; tests override single accesses to race them. */
public class ForwardingMemory implements Memory {
  private final Memory target;

  public ForwardingMemory(Memory target) {
    this.target = target;
  }

  @Override
  public long read64(long pa) throws BusAbort {
    return target.read64(pa);
  }

  @Override
  public void write64(long pa, long value) throws BusAbort {
    target.write64(pa, value);
  }

  @Override
  public boolean compareAndSet64(long pa, long expected, long update) throws BusAbort {
    return target.compareAndSet64(pa, expected, update);
  }

  @Override
  public int read32(long pa) throws BusAbort {
    return target.read32(pa);
  }

  @Override
  public void write32(long pa, int value) throws BusAbort {
    target.write32(pa, value);
  }

  @Override
  public byte read8(long pa) throws BusAbort {
    return target.read8(pa);
  }

  @Override
  public void write8(long pa, byte value) throws BusAbort {
    target.write8(pa, value);
  }

  @Override
  public void read(long pa, byte[] dst, int offset, int length) throws BusAbort {
    target.read(pa, dst, offset, length);
  }

  @Override
  public void write(long pa, byte[] src, int offset, int length) throws BusAbort {
    target.write(pa, src, offset, length);
  }

  @Override
  public int addressBits() {
    return target.addressBits();
  }
}
