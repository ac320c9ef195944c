package org.smmulab.peer.qemu;

import static org.smmulab.arch.regs.RegisterOffsets.EVTQ_CONS;
import static org.smmulab.arch.regs.RegisterOffsets.EVTQ_PROD;
import static org.smmulab.arch.regs.RegisterOffsets.GERROR;
import static org.smmulab.arch.regs.RegisterOffsets.GERRORN;
import static org.smmulab.arch.regs.RegisterOffsets.IRQ_CTRL;

import java.util.concurrent.atomic.AtomicReferenceArray;
import org.smmulab.arch.bus.InterruptLines;
import org.smmulab.arch.bus.RegisterBus;

/**
 * The SMMU's wired interrupts, polled: the guest stub runs with interrupts masked, so instead of
 * the GIC the host looks at the conditions that raise the lines — the event queue not empty, a
 * global error active — each time {@link #service} is called, and runs the handlers of the lines
 * that are enabled in IRQ_CTRL and pending. A handler therefore runs on the thread that calls
 * {@link #service}.
 */
public final class PolledInterrupts implements InterruptLines {
  private static final int IRQ_GERROR = 1;
  private static final int IRQ_EVTQ = 1 << 2;

  private final AtomicReferenceArray<Runnable> handlers =
      new AtomicReferenceArray<>(Line.values().length);

  @Override
  public void setHandler(Line line, Runnable handler) {
    handlers.set(line.ordinal(), handler);
  }

  /** Runs the handler of each enabled line whose condition holds now on {@code regs}. */
  public void service(RegisterBus regs) {
    int enabled = regs.read32(IRQ_CTRL);
    if ((enabled & IRQ_EVTQ) != 0 && regs.read32(EVTQ_PROD) != regs.read32(EVTQ_CONS)) {
      run(Line.EVENTQ);
    }
    if ((enabled & IRQ_GERROR) != 0 && regs.read32(GERROR) != regs.read32(GERRORN)) {
      run(Line.GERROR);
    }
  }

  private void run(Line line) {
    Runnable handler = handlers.get(line.ordinal());
    if (handler != null) {
      handler.run();
    }
  }
}
