package org.smmulab.driver.queue;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The producer's wait: spins first, then gives the processor away, and never sleeps long. */
class PollBackoffTest {
  @Test
  void spinsFirstThenYieldsAndSleeps() {
    PollBackoff backoff = new PollBackoff();
    for (int i = 0; i < PollBackoff.SPINS; i++) {
      assertThat(backoff.pause()).as("poll %d spins", i).isFalse();
    }
    for (int i = 0; i < PollBackoff.YIELDS + 8; i++) {
      assertThat(backoff.pause()).as("poll %d gives the processor away", i).isTrue();
    }
    assertThat(backoff.polls()).isEqualTo(PollBackoff.SPINS + PollBackoff.YIELDS + 8);
  }

  @Test
  void sleepsAreCappedSoALongWaitStillPollsOften() {
    PollBackoff backoff = new PollBackoff();
    for (int i = 0; i < PollBackoff.SPINS + PollBackoff.YIELDS + 20; i++) {
      backoff.pause();
    }
    // Twenty sleeps past the cap's doubling point: each lasts about MAX_PARK_NANOS, not 2^20 us.
    long start = System.nanoTime();
    for (int i = 0; i < 10; i++) {
      backoff.pause();
    }
    long elapsed = System.nanoTime() - start;
    assertThat(elapsed).isLessThan(10 * PollBackoff.MAX_PARK_NANOS + 500_000_000L);
  }
}
