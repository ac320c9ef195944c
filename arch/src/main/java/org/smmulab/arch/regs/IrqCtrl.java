package org.smmulab.arch.regs;

import java.util.List;
import org.smmulab.arch.codec.Field;
import org.smmulab.arch.codec.Layout;

/** Fields of IRQ_CTRL (interrupt enables) and of IRQ_CTRLACK, which mirrors it. */
public final class IrqCtrl {
  /** Bit 0: global error interrupt enabled. */
  public static final Field GERROR_IRQEN = Field.bit("GERROR_IRQEN", 0, 0);

  /** Bit 1: PRI queue interrupt enabled. */
  public static final Field PRIQ_IRQEN = Field.bit("PRIQ_IRQEN", 0, 1);

  /** Bit 2: event queue interrupt enabled. */
  public static final Field EVTQ_IRQEN = Field.bit("EVTQ_IRQEN", 0, 2);

  private static final List<Field> FIELDS = List.of(GERROR_IRQEN, PRIQ_IRQEN, EVTQ_IRQEN);

  /** IRQ_CTRL. */
  public static final Layout LAYOUT = new Layout("IRQ_CTRL", 1, FIELDS);

  /** IRQ_CTRLACK: the same fields. */
  public static final Layout ACK_LAYOUT = new Layout("IRQ_CTRLACK", 1, FIELDS);

  private IrqCtrl() {}
}
