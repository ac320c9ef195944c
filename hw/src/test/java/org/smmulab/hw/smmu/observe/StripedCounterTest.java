package org.smmulab.hw.smmu.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class StripedCounterTest {
  @Test
  void countsOfManyThreadsAddUpExactlyOnceJoined() throws Exception {
    StripedCounter counter = new StripedCounter();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 6; t++) {
      int step = t + 1;
      Thread thread =
          new Thread(
              () -> {
                for (int i = 0; i < 100_000; i++) {
                  if (i % 2 == 0) {
                    counter.increment();
                  } else {
                    counter.add(step);
                  }
                }
              });
      threads.add(thread);
      thread.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    long expected = 0;
    for (int step = 1; step <= 6; step++) {
      expected += 50_000L + 50_000L * step;
    }
    assertThat(counter.sum()).isEqualTo(expected);
  }

  @Test
  void aSumTakenWhileThreadsCountNeverGoesBackwards() throws Exception {
    StripedCounter counter = new StripedCounter();
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 2; t++) {
      Thread thread =
          new Thread(
              () -> {
                while (!stop.get()) {
                  counter.increment();
                }
              });
      threads.add(thread);
      thread.start();
    }
    AtomicReference<String> failure = new AtomicReference<>();
    long last = 0;
    for (int i = 0; i < 20_000 && failure.get() == null; i++) {
      long now = counter.sum();
      if (now < last) {
        failure.set(now + " after " + last);
      }
      last = now;
    }
    stop.set(true);
    for (Thread t : threads) {
      t.join();
    }
    assertThat(failure.get()).isNull();
    assertThat(counter.sum()).isGreaterThanOrEqualTo(last);
  }

  @Test
  void countsOfAThreadThatEndedStayInTheTotal() throws Exception {
    StripedCounter counter = new StripedCounter();
    counter.add(5);
    Thread thread = new Thread(() -> counter.add(7));
    thread.start();
    thread.join();
    assertThat(counter.sum()).isEqualTo(12);
  }
}
