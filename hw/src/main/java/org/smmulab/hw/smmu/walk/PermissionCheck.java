package org.smmulab.hw.smmu.walk;

import static org.smmulab.hw.smmu.txn.Permissions.EXEC_PRIV;
import static org.smmulab.hw.smmu.txn.Permissions.EXEC_UNPRIV;
import static org.smmulab.hw.smmu.txn.Permissions.READ_PRIV;
import static org.smmulab.hw.smmu.txn.Permissions.READ_UNPRIV;
import static org.smmulab.hw.smmu.txn.Permissions.WRITE_PRIV;
import static org.smmulab.hw.smmu.txn.Permissions.WRITE_UNPRIV;

import org.smmulab.arch.pte.LpaeDescriptor;
import org.smmulab.hw.smmu.txn.Permissions;

/**
 * The permissions a leaf grants, from its access-permission and execute-never bits and, for stage
 * 1, the hierarchical table restrictions above it.
 *
 * <p>Stage 1: AP[2:1] (bit 7 read-only, bit 6 unprivileged access allowed): 00 privileged
 * read/write, 01 read/write at both privileges, 10 privileged read-only, 11 read-only at both.
 * APTable bit 62 (here bit 1) removes write access below, bit 61 (here bit 0) removes unprivileged
 * access below. PXN/PXNTable remove privileged execution, UXN/UXNTable unprivileged execution. Only
 * these rules are modelled: there is no rule making an unprivileged-writable page privileged
 * execute-never (the CPU's PAN/WXN-style controls have no CD field here), and the EL2 regime is
 * checked with the same AP rules as EL1.
 *
 * <p>Stage 2: S2AP bit 6 grants reads, bit 7 writes, at both privileges. XN[1:0] (bits 54:53): with
 * the XNX extension 01 and 11 forbid execution at one privilege only; this model does not implement
 * XNX, so any non-zero XN forbids execution at both privileges (the conservative reading, and the
 * one that matches what Linux writes: 00 or 11).
 */
final class PermissionCheck {
  private PermissionCheck() {}

  /** Stage-1 permissions of {@code leaf}. */
  static Permissions stage1(Leaf leaf) {
    long d = leaf.descriptor();
    boolean readOnly = LpaeDescriptor.AP_RDONLY.extract(d) != 0;
    boolean unprivileged = LpaeDescriptor.AP_UNPRIV.extract(d) != 0;
    if ((leaf.apTable() & 0b10) != 0) {
      readOnly = true;
    }
    if ((leaf.apTable() & 0b01) != 0) {
      unprivileged = false;
    }
    boolean privExec = LpaeDescriptor.PXN.extract(d) == 0 && !leaf.pxnTable();
    boolean unprivExec = LpaeDescriptor.UXN.extract(d) == 0 && !leaf.uxnTable();

    int bits = READ_PRIV;
    if (!readOnly) {
      bits |= WRITE_PRIV;
    }
    if (privExec) {
      bits |= EXEC_PRIV;
    }
    if (unprivileged) {
      bits |= READ_UNPRIV;
      if (!readOnly) {
        bits |= WRITE_UNPRIV;
      }
    }
    if (unprivExec) {
      bits |= EXEC_UNPRIV;
    }
    return Permissions.of(bits);
  }

  /** Stage-2 permissions of {@code leaf}. */
  static Permissions stage2(Leaf leaf) {
    long d = leaf.descriptor();
    int bits = 0;
    if (LpaeDescriptor.S2AP_READ.extract(d) != 0) {
      bits |= READ_PRIV | READ_UNPRIV;
    }
    if (LpaeDescriptor.S2AP_WRITE.extract(d) != 0) {
      bits |= WRITE_PRIV | WRITE_UNPRIV;
    }
    if (LpaeDescriptor.S2_XN.extract(d) == 0) {
      bits |= EXEC_PRIV | EXEC_UNPRIV;
    }
    return Permissions.of(bits);
  }
}
