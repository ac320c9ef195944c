package org.smmulab.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.smmulab.arch.cmd.Opcode;
import org.smmulab.hw.pcie.AtcEntry;
import org.smmulab.hw.smmu.tlb.TlbEntry;
import org.smmulab.hw.smmu.txn.Permissions;

/** Small formatting helpers shared by the text and JSON reports. */
final class TextBlocks {
  private TextBlocks() {}

  /** Permissions as {@code "P:rw- U:rw-"} (privileged, unprivileged: read, write, execute). */
  static String permissions(Permissions p) {
    int b = p.bits();
    return "P:"
        + flag(b, Permissions.READ_PRIV, 'r')
        + flag(b, Permissions.WRITE_PRIV, 'w')
        + flag(b, Permissions.EXEC_PRIV, 'x')
        + " U:"
        + flag(b, Permissions.READ_UNPRIV, 'r')
        + flag(b, Permissions.WRITE_UNPRIV, 'w')
        + flag(b, Permissions.EXEC_UNPRIV, 'x');
  }

  private static char flag(int bits, int mask, char c) {
    return (bits & mask) != 0 ? c : '-';
  }

  /** TLB entries by VMID, ASID and input address, so that reports are stable. */
  static List<TlbEntry> sortedTlb(List<TlbEntry> entries) {
    List<TlbEntry> out = new ArrayList<>(entries);
    out.sort(
        Comparator.<TlbEntry>comparingInt(e -> e.tag().vmid())
            .thenComparingInt(e -> e.tag().asid())
            .thenComparingLong(TlbEntry::inputBase));
    return out;
  }

  /** ATC entries by PASID and input address. */
  static List<AtcEntry> sortedAtc(List<AtcEntry> entries) {
    List<AtcEntry> out = new ArrayList<>(entries);
    out.sort(
        Comparator.<AtcEntry, Boolean>comparing(AtcEntry::pasidValid)
            .thenComparingInt(AtcEntry::pasid)
            .thenComparingLong(AtcEntry::inputBase));
    return out;
  }

  /** {@code "CFGI_STE 2, CMD_SYNC 2"} in opcode order, or {@code "nothing"}. */
  static String counts(Map<String, Long> counts) {
    if (counts.isEmpty()) {
      return "nothing";
    }
    List<String> parts = new ArrayList<>();
    for (Opcode op : Opcode.values()) {
      Long n = counts.get(op.specName());
      if (n != null) {
        parts.add(op.specName() + " " + n);
      }
    }
    return String.join(", ", parts);
  }
}
