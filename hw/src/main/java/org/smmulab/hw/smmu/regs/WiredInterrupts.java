package org.smmulab.hw.smmu.regs;

import java.util.concurrent.atomic.AtomicReferenceArray;
import org.smmulab.arch.bus.InterruptLines;

/**
 * The wired interrupt outputs of one instance. Handlers are installed by software at any time and
 * run on the thread that fires the line (the command consumer or a translating thread), never while
 * the instance holds a lock of its own, so a handler may read and write the registers.
 */
public final class WiredInterrupts implements InterruptLines {
  private final AtomicReferenceArray<Runnable> handlers =
      new AtomicReferenceArray<>(Line.values().length);

  @Override
  public void setHandler(Line line, Runnable handler) {
    handlers.set(line.ordinal(), handler);
  }

  /** Fires {@code line}: runs its handler, if any, on the calling thread. */
  public void fire(Line line) {
    Runnable handler = handlers.get(line.ordinal());
    if (handler != null) {
      handler.run();
    }
  }
}
