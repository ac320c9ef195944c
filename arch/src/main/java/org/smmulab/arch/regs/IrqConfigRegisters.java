package org.smmulab.arch.regs;

import java.util.List;
import org.smmulab.arch.codec.Field;
import org.smmulab.arch.codec.Layout;
import org.smmulab.arch.pte.LpaeDescriptor;

/**
 * Fields of the MSI configuration registers of the three interrupt sources (GERROR, EVTQ, PRIQ):
 * IRQ_CFG0 holds the MSI address (64-bit register), IRQ_CFG1 the 32-bit data written, IRQ_CFG2 the
 * shareability and memory attributes of the write. An address of zero disables the MSI.
 */
public final class IrqConfigRegisters {
  /** IRQ_CFG0 bits [51:2]: MSI target address, in place (word aligned). */
  public static final Field ADDR = Field.address("ADDR", 0, 51, 2);

  /** IRQ_CFG1 bits [31:0]: MSI payload. */
  public static final Field DATA = Field.of("DATA", 0, 31, 0);

  /** IRQ_CFG2 bits [3:0]: memory attributes of the MSI write. */
  public static final Field MEMATTR = Field.of("MemAttr", 0, 3, 0);

  /** IRQ_CFG2 bits [5:4]: shareability of the MSI write (0 non, 2 outer, 3 inner). */
  public static final Field SH = Field.of("SH", 0, 5, 4).withNames(LpaeDescriptor.SHAREABILITY);

  /** GERROR_IRQ_CFG0. */
  public static final Layout GERROR_CFG0 = cfg0("GERROR");

  /** GERROR_IRQ_CFG1. */
  public static final Layout GERROR_CFG1 = cfg1("GERROR");

  /** GERROR_IRQ_CFG2. */
  public static final Layout GERROR_CFG2 = cfg2("GERROR");

  /** EVTQ_IRQ_CFG0. */
  public static final Layout EVTQ_CFG0 = cfg0("EVTQ");

  /** EVTQ_IRQ_CFG1. */
  public static final Layout EVTQ_CFG1 = cfg1("EVTQ");

  /** EVTQ_IRQ_CFG2. */
  public static final Layout EVTQ_CFG2 = cfg2("EVTQ");

  /** PRIQ_IRQ_CFG0. */
  public static final Layout PRIQ_CFG0 = cfg0("PRIQ");

  /** PRIQ_IRQ_CFG1. */
  public static final Layout PRIQ_CFG1 = cfg1("PRIQ");

  /** PRIQ_IRQ_CFG2. */
  public static final Layout PRIQ_CFG2 = cfg2("PRIQ");

  private IrqConfigRegisters() {}

  private static Layout cfg0(String source) {
    return new Layout(source + "_IRQ_CFG0", 1, List.of(ADDR));
  }

  private static Layout cfg1(String source) {
    return new Layout(source + "_IRQ_CFG1", 1, List.of(DATA));
  }

  private static Layout cfg2(String source) {
    return new Layout(source + "_IRQ_CFG2", 1, List.of(MEMATTR, SH));
  }
}
