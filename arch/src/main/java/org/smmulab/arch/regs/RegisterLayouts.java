package org.smmulab.arch.regs;

import java.util.Map;
import java.util.TreeMap;
import org.smmulab.arch.codec.Layout;

/**
 * The field layout of the register at each offset, so that a trace can describe any register
 * access: {@code describe(CR0, 0xd)} is {@code "CR0 SMMUEN=1 EVTQEN=1 CMDQEN=1"}.
 */
public final class RegisterLayouts {
  private static final Map<Integer, Layout> LAYOUTS = new TreeMap<>();

  static {
    LAYOUTS.put(RegisterOffsets.IDR0, Idr0.LAYOUT);
    LAYOUTS.put(RegisterOffsets.IDR1, Idr1.LAYOUT);
    LAYOUTS.put(RegisterOffsets.IDR3, Idr3.LAYOUT);
    LAYOUTS.put(RegisterOffsets.IDR5, Idr5.LAYOUT);
    LAYOUTS.put(RegisterOffsets.IIDR, IdentificationRegisters.IIDR_LAYOUT);
    LAYOUTS.put(RegisterOffsets.AIDR, IdentificationRegisters.AIDR_LAYOUT);
    LAYOUTS.put(RegisterOffsets.CR0, Cr0.LAYOUT);
    LAYOUTS.put(RegisterOffsets.CR0ACK, Cr0.ACK_LAYOUT);
    LAYOUTS.put(RegisterOffsets.CR1, Cr1.LAYOUT);
    LAYOUTS.put(RegisterOffsets.CR2, Cr2.LAYOUT);
    LAYOUTS.put(RegisterOffsets.GBPA, Gbpa.LAYOUT);
    LAYOUTS.put(RegisterOffsets.IRQ_CTRL, IrqCtrl.LAYOUT);
    LAYOUTS.put(RegisterOffsets.IRQ_CTRLACK, IrqCtrl.ACK_LAYOUT);
    LAYOUTS.put(RegisterOffsets.GERROR, GlobalErrors.LAYOUT);
    LAYOUTS.put(RegisterOffsets.GERRORN, GlobalErrors.ACK_LAYOUT);
    LAYOUTS.put(RegisterOffsets.GERROR_IRQ_CFG0, IrqConfigRegisters.GERROR_CFG0);
    LAYOUTS.put(RegisterOffsets.GERROR_IRQ_CFG1, IrqConfigRegisters.GERROR_CFG1);
    LAYOUTS.put(RegisterOffsets.GERROR_IRQ_CFG2, IrqConfigRegisters.GERROR_CFG2);
    LAYOUTS.put(RegisterOffsets.STRTAB_BASE, StreamTableRegisters.BASE_LAYOUT);
    LAYOUTS.put(RegisterOffsets.STRTAB_BASE_CFG, StreamTableRegisters.CFG_LAYOUT);
    LAYOUTS.put(RegisterOffsets.CMDQ_BASE, QueueRegisters.CMDQ_BASE_LAYOUT);
    LAYOUTS.put(RegisterOffsets.CMDQ_PROD, QueueRegisters.CMDQ_PROD_LAYOUT);
    LAYOUTS.put(RegisterOffsets.CMDQ_CONS, QueueRegisters.CMDQ_CONS_LAYOUT);
    LAYOUTS.put(RegisterOffsets.EVTQ_BASE, QueueRegisters.EVTQ_BASE_LAYOUT);
    LAYOUTS.put(RegisterOffsets.EVTQ_PROD, QueueRegisters.EVTQ_PROD_LAYOUT);
    LAYOUTS.put(RegisterOffsets.EVTQ_CONS, QueueRegisters.EVTQ_CONS_LAYOUT);
    LAYOUTS.put(RegisterOffsets.EVTQ_IRQ_CFG0, IrqConfigRegisters.EVTQ_CFG0);
    LAYOUTS.put(RegisterOffsets.EVTQ_IRQ_CFG1, IrqConfigRegisters.EVTQ_CFG1);
    LAYOUTS.put(RegisterOffsets.EVTQ_IRQ_CFG2, IrqConfigRegisters.EVTQ_CFG2);
    LAYOUTS.put(RegisterOffsets.PRIQ_BASE, QueueRegisters.PRIQ_BASE_LAYOUT);
    LAYOUTS.put(RegisterOffsets.PRIQ_PROD, QueueRegisters.PRIQ_PROD_LAYOUT);
    LAYOUTS.put(RegisterOffsets.PRIQ_CONS, QueueRegisters.PRIQ_CONS_LAYOUT);
    LAYOUTS.put(RegisterOffsets.PRIQ_IRQ_CFG0, IrqConfigRegisters.PRIQ_CFG0);
    LAYOUTS.put(RegisterOffsets.PRIQ_IRQ_CFG1, IrqConfigRegisters.PRIQ_CFG1);
    LAYOUTS.put(RegisterOffsets.PRIQ_IRQ_CFG2, IrqConfigRegisters.PRIQ_CFG2);
  }

  private RegisterLayouts() {}

  /**
   * The layout of the register at {@code offset}, or {@code null} if the offset holds no register
   * with fields (IDR2, IDR4, STATUSR, ID registers, upper halves, page-0 aliases, holes).
   */
  public static Layout at(long offset) {
    return offset >= 0 && offset < RegisterOffsets.MMIO_SIZE ? LAYOUTS.get((int) offset) : null;
  }

  /**
   * One line describing {@code value} written to or read from {@code offset}: the register's fields
   * if it has a layout, else its name and the value in hex ({@code "IDR2 0x0"}). Never throws.
   */
  public static String describe(long offset, long value) {
    Layout layout = at(offset);
    if (layout == null) {
      return RegisterOffsets.nameOf(offset) + " 0x" + Long.toHexString(value);
    }
    return layout.describe(new long[] {value});
  }

  /** Every offset that has a layout, with its layout, ascending by offset. */
  public static Map<Integer, Layout> all() {
    return new TreeMap<>(LAYOUTS);
  }
}
