package org.smmulab.hw.smmu.txn;

/**
 * The accesses a translation allows, by privilege and kind: the effective result of AP, APTable,
 * XN/PXN/UXN and the XN tables for stage 1, S2AP and XN for stage 2, and their intersection for
 * nested translation. Immutable; {@code bits} is a mask of the constants below.
 *
 * @param bits a combination of {@link #READ_PRIV}, {@link #WRITE_PRIV}, {@link #EXEC_PRIV}, {@link
 *     #READ_UNPRIV}, {@link #WRITE_UNPRIV}, {@link #EXEC_UNPRIV}
 */
public record Permissions(int bits) {
  public static final int READ_PRIV = 1;
  public static final int WRITE_PRIV = 1 << 1;
  public static final int EXEC_PRIV = 1 << 2;
  public static final int READ_UNPRIV = 1 << 3;
  public static final int WRITE_UNPRIV = 1 << 4;
  public static final int EXEC_UNPRIV = 1 << 5;

  private static final Permissions[] ALL_VALUES = new Permissions[64];

  static {
    for (int b = 0; b < ALL_VALUES.length; b++) {
      ALL_VALUES[b] = new Permissions(b);
    }
  }

  /** Everything allowed (bypass). */
  public static final Permissions ALL = of(0x3f);

  /** Nothing allowed. */
  public static final Permissions NONE = of(0);

  /**
   * The permissions {@code bits} names, one shared instance per value (the walker makes one per
   * walk, so this saves an allocation each time).
   *
   * @throws IllegalArgumentException if {@code bits} has a bit outside the six defined ones
   */
  public static Permissions of(int bits) {
    if ((bits & ~0x3f) != 0) {
      throw new IllegalArgumentException(String.format("permission bits 0x%x outside 0x3f", bits));
    }
    return ALL_VALUES[bits];
  }

  /** Whether {@code t}'s access kind and privilege are allowed. */
  public boolean allows(Transaction t) {
    return allows(t.write(), t.privileged(), t.instruction());
  }

  /**
   * Whether an access is allowed. An instruction fetch needs both read and execute permission at
   * its privilege; a write needs write permission.
   */
  public boolean allows(boolean write, boolean privileged, boolean instruction) {
    int shift = privileged ? 0 : 3;
    if (write) {
      return (bits & (WRITE_PRIV << shift)) != 0;
    }
    if (instruction) {
      return (bits & (READ_PRIV << shift)) != 0 && (bits & (EXEC_PRIV << shift)) != 0;
    }
    return (bits & (READ_PRIV << shift)) != 0;
  }

  /** The accesses both allow (nested: stage 1 intersected with stage 2). */
  public Permissions and(Permissions other) {
    return of(bits & other.bits);
  }

  /** The permissions as {@code "priv RWX unpriv RW-"}: read, write, execute at each privilege. */
  @Override
  public String toString() {
    return "priv " + rwx(0) + " unpriv " + rwx(3);
  }

  private String rwx(int shift) {
    return ((bits & (READ_PRIV << shift)) != 0 ? "R" : "-")
        + ((bits & (WRITE_PRIV << shift)) != 0 ? "W" : "-")
        + ((bits & (EXEC_PRIV << shift)) != 0 ? "X" : "-");
  }
}
