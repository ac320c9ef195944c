package org.smmulab.verify.scenario;

import org.smmulab.arch.bus.BusAbort;
import org.smmulab.arch.bus.Memory;
import org.smmulab.arch.cd.Cd;
import org.smmulab.arch.cd.L1CdDescriptor;
import org.smmulab.arch.ste.Ste;
import org.smmulab.arch.ste.SteFields;
import org.smmulab.arch.ste.StreamConfig;

/**
 * Reads STEs and CDs from memory the way the SMMU finds them, for checks that the driver left them
 * unchanged. Reads only; never fails on contents (an entry it cannot reach is {@code null}).
 */
final class EntryReader {
  private static final int CD_BYTES = 64;
  private static final int SPLIT_4K = 6;
  private static final int SPLIT_64K = 10;

  private EntryReader() {}

  /** The STE at {@code address}. */
  static Ste ste(Memory memory, long address) throws BusAbort {
    long[] q = new long[Ste.QWORDS];
    for (int i = 0; i < q.length; i++) {
      q[i] = memory.read64(address + 8L * i);
    }
    return Ste.decode(q);
  }

  /**
   * The CD of {@code ssid} that {@code ste} points to, or {@code null} when the STE has no CD table
   * or the SubstreamID is beyond it or behind an invalid level-1 descriptor.
   */
  static Cd cd(Memory memory, Ste ste, int ssid) throws BusAbort {
    StreamConfig config = ste.config();
    if (!ste.valid() || (config != StreamConfig.S1_TRANSLATE && config != StreamConfig.NESTED)) {
      return null;
    }
    if (ssid != 0 && ssid >= 1L << ste.s1CdMax()) {
      return null;
    }
    long base = ste.s1ContextPtr();
    long address;
    switch (ste.s1Fmt()) {
      case SteFields.S1FMT_LINEAR -> address = base + (long) ssid * CD_BYTES;
      case SteFields.S1FMT_2LVL_4K, SteFields.S1FMT_2LVL_64K -> {
        int split = ste.s1Fmt() == SteFields.S1FMT_2LVL_4K ? SPLIT_4K : SPLIT_64K;
        L1CdDescriptor l1 = L1CdDescriptor.decode(memory.read64(base + 8L * (ssid >>> split)));
        if (!l1.valid()) {
          return null;
        }
        address = l1.l2Table() + (long) (ssid & ((1 << split) - 1)) * CD_BYTES;
      }
      default -> {
        return null;
      }
    }
    long[] q = new long[Cd.QWORDS];
    for (int i = 0; i < q.length; i++) {
      q[i] = memory.read64(address + 8L * i);
    }
    return Cd.decode(q);
  }
}
