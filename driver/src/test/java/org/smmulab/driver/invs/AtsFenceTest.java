package org.smmulab.driver.invs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The grace-period fence: a writer waits for the walkers inside, and only for those. */
class AtsFenceTest {
  private static void awaitParked(Thread thread) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (thread.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    assertThat(thread.getState())
        .as("the writer parks waiting for the walker")
        .isEqualTo(Thread.State.WAITING);
  }

  @Test
  void aWriterWithoutWalkersReturnsAtOnce() {
    AtsFence fence = new AtsFence();
    fence.synchronizeWalkers();
    fence.exit(fence.enter());
    fence.synchronizeWalkers();
  }

  @Test
  void aWriterWaitsForTheWalkerInsideButNotForOneThatEnteredAfterIt() throws Exception {
    AtsFence fence = new AtsFence();
    int early = fence.enter();
    Thread writer = new Thread(fence::synchronizeWalkers, "writer");
    writer.start();
    // Parked means it has advanced the epoch and found the early walker.
    awaitParked(writer);

    int late = fence.enter();
    assertThat(writer.isAlive()).isTrue();
    fence.exit(early);
    writer.join(10_000);

    assertThat(writer.isAlive())
        .as("the late walker, still inside, does not hold the writer back")
        .isFalse();
    Thread second = new Thread(fence::synchronizeWalkers, "second-writer");
    second.start();
    awaitParked(second);
    fence.exit(late);
    second.join(10_000);
    assertThat(second.isAlive()).as("the next writer waits for the late walker").isFalse();
  }

  @Test
  void anInterruptedWriterStillWaitsAndKeepsItsInterruptStatus() throws Exception {
    AtsFence fence = new AtsFence();
    int token = fence.enter();
    boolean[] interruptedAfter = new boolean[1];
    Thread writer =
        new Thread(
            () -> {
              fence.synchronizeWalkers();
              interruptedAfter[0] = Thread.currentThread().isInterrupted();
            },
            "writer");
    writer.start();
    awaitParked(writer);
    writer.interrupt();
    writer.join(200);
    assertThat(writer.isAlive()).as("an interrupt does not end the wait").isTrue();

    fence.exit(token);
    writer.join(10_000);
    assertThat(writer.isAlive()).isFalse();
    assertThat(interruptedAfter[0]).isTrue();
  }
}
