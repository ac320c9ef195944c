package org.smmulab.hw.smmu.regs;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.smmulab.arch.bus.InterruptLines;

/**
 * The wired interrupt outputs of one instance. Handlers are installed by software at any time and
 * run on the thread that fires the line (the command consumer or a translating thread), never while
 * the instance holds a lock of its own, so a handler may read and write the registers.
 *
 * <p>Each line is edge-triggered and latched as an interrupt controller latches it: a line fired
 * while its handler is running (on any thread) is not delivered a second time at once; the running
 * handler runs once more when it returns, however many times the line fired meanwhile. So a handler
 * never runs twice at the same time, and an edge that arrives while it runs is never lost.
 */
public final class WiredInterrupts implements InterruptLines {
  private static final int IDLE = 0;
  private static final int RUNNING = 1;
  private static final int LATCHED = 2;

  private final AtomicReferenceArray<Runnable> handlers =
      new AtomicReferenceArray<>(Line.values().length);
  private final AtomicIntegerArray states = new AtomicIntegerArray(Line.values().length);

  @Override
  public void setHandler(Line line, Runnable handler) {
    handlers.set(line.ordinal(), handler);
  }

  /**
   * Fires {@code line}: runs its handler, if any, on the calling thread, or, when the handler is
   * running already, latches the edge for the thread running it.
   */
  public void fire(Line line) {
    int i = line.ordinal();
    if (handlers.get(i) == null) {
      return;
    }
    while (true) {
      int state = states.get(i);
      if (state == IDLE && states.compareAndSet(i, IDLE, RUNNING)) {
        break;
      }
      if (state == LATCHED || (state == RUNNING && states.compareAndSet(i, RUNNING, LATCHED))) {
        return;
      }
    }
    try {
      do {
        Runnable handler = handlers.get(i);
        if (handler != null) {
          handler.run();
        }
      } while (!states.compareAndSet(i, RUNNING, IDLE)
          && states.compareAndSet(i, LATCHED, RUNNING));
    } catch (RuntimeException | Error e) {
      states.set(i, IDLE);
      throw e;
    }
  }
}
