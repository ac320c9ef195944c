package org.smmulab.arch.regs;

import java.util.List;
import org.smmulab.arch.codec.Field;
import org.smmulab.arch.codec.Layout;

/**
 * Fields of CR0 (global enables) and of CR0ACK, which mirrors CR0 once a change has taken effect;
 * drivers write CR0 and poll CR0ACK for equality.
 */
public final class Cr0 {
  /** Bit 0: translation enabled (else GBPA applies). */
  public static final Field SMMUEN = Field.bit("SMMUEN", 0, 0);

  /** Bit 1: PRI queue enabled. */
  public static final Field PRIQEN = Field.bit("PRIQEN", 0, 1);

  /** Bit 2: event queue enabled. */
  public static final Field EVTQEN = Field.bit("EVTQEN", 0, 2);

  /** Bit 3: command queue enabled. */
  public static final Field CMDQEN = Field.bit("CMDQEN", 0, 3);

  /** Bit 4: ATS-translated transactions are checked against the STE. */
  public static final Field ATSCHK = Field.bit("ATSCHK", 0, 4);

  /** Bits [8:6]: VMID wildcard for broadcast TLB maintenance. */
  public static final Field VMW = Field.of("VMW", 0, 8, 6);

  private static final List<Field> FIELDS = List.of(SMMUEN, PRIQEN, EVTQEN, CMDQEN, ATSCHK, VMW);

  /** CR0. */
  public static final Layout LAYOUT = new Layout("CR0", 1, FIELDS);

  /** CR0ACK: the same fields. */
  public static final Layout ACK_LAYOUT = new Layout("CR0ACK", 1, FIELDS);

  private Cr0() {}
}
