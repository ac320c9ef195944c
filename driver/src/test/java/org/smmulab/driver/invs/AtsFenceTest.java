package org.smmulab.driver.invs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The ATS fence: readers share it, and a waiting writer goes before readers that come later. */
class AtsFenceTest {
  private final AtsFence fence = new AtsFence();

  @Test
  void readersShareTheFence() throws Exception {
    long first = fence.readLock();
    CountDownLatch second = new CountDownLatch(1);
    Thread other =
        new Thread(
            () -> {
              fence.unlockRead(fence.readLock());
              second.countDown();
            });
    other.start();
    assertThat(second.await(5, TimeUnit.SECONDS)).isTrue();
    fence.unlockRead(first);
    other.join();
  }

  @Test
  void aWaitingWriterKeepsNewReadersOutUntilItHadItsTurn() throws Exception {
    List<String> order = new CopyOnWriteArrayList<>();
    long inside = fence.readLock();
    Thread writer =
        new Thread(
            () -> {
              long w = fence.writeLock();
              order.add("writer");
              fence.unlockWrite(w);
            });
    writer.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!fence.writerWaiting() && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(fence.writerWaiting()).isTrue();
    Thread lateReader =
        new Thread(
            () -> {
              long r = fence.readLock();
              order.add("late reader");
              fence.unlockRead(r);
            });
    lateReader.start();
    lateReader.join(200);
    assertThat(order).as("the late reader did not pass the waiting writer").isEmpty();

    fence.unlockRead(inside);
    writer.join(5_000);
    lateReader.join(5_000);
    assertThat(order).containsExactly("writer", "late reader");
  }
}
