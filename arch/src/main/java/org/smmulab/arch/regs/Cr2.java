package org.smmulab.arch.regs;

import java.util.List;
import org.smmulab.arch.codec.Field;
import org.smmulab.arch.codec.Layout;

/** Fields of CR2. Linux writes PTM | RECINVSID, plus E2H when the CPU runs the kernel at EL2. */
public final class Cr2 {
  /** Bit 0: EL2 stream world uses the E2H (VHE) regime, with ASIDs. */
  public static final Field E2H = Field.bit("E2H", 0, 0);

  /** Bit 1: record C_BAD_STREAMID events for invalid StreamIDs. */
  public static final Field RECINVSID = Field.bit("RECINVSID", 0, 1);

  /** Bit 2: private TLB maintenance (ignore broadcast TLB invalidations). */
  public static final Field PTM = Field.bit("PTM", 0, 2);

  /** CR2. */
  public static final Layout LAYOUT = new Layout("CR2", 1, List.of(E2H, RECINVSID, PTM));

  private Cr2() {}
}
