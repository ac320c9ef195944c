package org.smmulab.hw.smmu.regs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.smmulab.arch.bus.InterruptLines.Line;

/** Wired lines: handlers run on the firing thread, never twice at once, and no edge is lost. */
class WiredInterruptsTest {
  private final WiredInterrupts lines = new WiredInterrupts();

  @Test
  void aLineWithoutHandlerDoesNothingAndAHandlerRunsOnTheFiringThread() {
    lines.fire(Line.EVENTQ);
    Thread[] ranOn = new Thread[1];
    lines.setHandler(Line.EVENTQ, () -> ranOn[0] = Thread.currentThread());
    lines.fire(Line.EVENTQ);
    assertThat(ranOn[0]).isSameAs(Thread.currentThread());
  }

  @Test
  void anEdgeWhileTheHandlerRunsIsDeliveredOnceWhenItReturns() {
    AtomicInteger runs = new AtomicInteger();
    lines.setHandler(
        Line.EVENTQ,
        () -> {
          if (runs.incrementAndGet() == 1) {
            lines.fire(Line.EVENTQ);
            lines.fire(Line.EVENTQ);
            assertThat(runs.get()).as("not run again inside itself").isEqualTo(1);
          }
        });
    lines.fire(Line.EVENTQ);
    assertThat(runs.get()).isEqualTo(2);
    lines.fire(Line.EVENTQ);
    assertThat(runs.get()).isEqualTo(3);
  }

  @Test
  void anotherThreadsEdgeIsLatchedForTheRunningHandler() throws Exception {
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger runs = new AtomicInteger();
    AtomicInteger concurrent = new AtomicInteger();
    AtomicInteger maxConcurrent = new AtomicInteger();
    lines.setHandler(
        Line.EVENTQ,
        () -> {
          maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
          if (runs.incrementAndGet() == 1) {
            inside.countDown();
            try {
              release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          concurrent.decrementAndGet();
        });
    Thread first = new Thread(() -> lines.fire(Line.EVENTQ));
    first.start();
    assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();
    lines.fire(Line.EVENTQ);
    assertThat(runs.get()).as("the second edge returned at once, latched").isEqualTo(1);
    release.countDown();
    first.join(5_000);
    assertThat(runs.get()).as("delivered by the thread that was running the handler").isEqualTo(2);
    assertThat(maxConcurrent.get()).isEqualTo(1);
  }

  @Test
  void aHandlerThatThrowsLeavesTheLineUsable() {
    AtomicInteger runs = new AtomicInteger();
    lines.setHandler(
        Line.GERROR,
        () -> {
          if (runs.incrementAndGet() == 1) {
            throw new IllegalStateException("handler bug");
          }
        });
    assertThatThrownBy(() -> lines.fire(Line.GERROR)).hasMessage("handler bug");
    lines.fire(Line.GERROR);
    assertThat(runs.get()).isEqualTo(2);
  }
}
