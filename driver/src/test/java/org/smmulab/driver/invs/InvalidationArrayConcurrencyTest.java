package org.smmulab.driver.invs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.smmulab.driver.invs.Entries.Key;

/**
 * Walkers iterate the published array while one writer attaches and detaches under the tag lock,
 * for a fixed number of cycles from a fixed seed. Walkers check that every entry they get lies
 * below the bound they read, is whole (fields agree with its type's factory) and comes in strictly
 * increasing order; the writer checks the ATS fence: before each unref it waits until a walker is
 * inside the fence of the array, and when unref returns, no walker still holds a bound above the
 * new one. Walkers busy-wait inside the fence (until an unref has waited a little), so the run's
 * length does not depend on how fast parked threads wake up on a loaded machine.
 */
class InvalidationArrayConcurrencyTest {
  private static final int WALKERS = 2;
  private static final int CYCLES = 1500;

  /** How long a walker stays in the fence once an unref is waiting for it. */
  private static final long HOLD_NANOS = 20_000;

  /** How long a walker stays in the fence at most before walking again. */
  private static final long MAX_HOLD_NANOS = 100_000;

  /** What one walker is doing right now; written by the walker, read by the writer. */
  static final class WalkerState {
    volatile InvalidationArray array;
    volatile int end;
  }

  private static List<List<Invalidation>> pool(Random random) {
    InvalidationType[] types = InvalidationType.values();
    List<List<Invalidation>> pool = new ArrayList<>();
    for (int p = 0; p < 6; p++) {
      List<Invalidation> list = new ArrayList<>();
      for (int k = 0; k < 4; k++) {
        InvalidationType type = types[random.nextInt(types.length)];
        list.add(Entries.make(random.nextInt(2), type, random.nextInt(4), type.isAts() ? p : 0));
      }
      pool.add(list);
    }
    return pool;
  }

  private static boolean whole(Invalidation e) {
    Invalidation same = Entries.make(e.smmu().index(), e.type(), e.id(), e.ssid());
    return same.sizeOpcode() == e.sizeOpcode()
        && same.nsizeOpcode() == e.nsizeOpcode()
        && same.pgsizeShift() == e.pgsizeShift();
  }

  @Test
  void walkersSeeOnlyLiveWholeEntriesAndUnrefWaitsForAtsWalkers() throws Exception {
    Random random = new Random(0x5eed);
    List<List<Invalidation>> pool = pool(random);
    ReentrantLock tagLock = new ReentrantLock();
    AtomicReference<InvalidationArray> published =
        new AtomicReference<>(InvalidationArray.empty(tagLock));
    AtomicBoolean done = new AtomicBoolean();
    AtomicBoolean unrefPending = new AtomicBoolean();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    List<WalkerState> states = new ArrayList<>();
    List<Thread> walkers = new ArrayList<>();
    for (int w = 0; w < WALKERS; w++) {
      WalkerState state = new WalkerState();
      states.add(state);
      walkers.add(
          new Thread(() -> walk(published, done, unrefPending, state, failures), "walker-" + w));
    }
    walkers.forEach(Thread::start);

    int[] attached = new int[pool.size()];
    int walksChecked = 0;
    try {
      for (int cycle = 0; cycle < CYCLES && failures.isEmpty(); cycle++) {
        int pick = random.nextInt(pool.size());
        tagLock.lock();
        try {
          InvalidationArray current = published.get();
          if (attached[pick] == 0 || random.nextBoolean()) {
            published.set(InvalidationArray.merge(current, Entries.list(pool.get(pick))));
            attached[pick]++;
          } else {
            awaitWalkerOn(current, states);
            unrefPending.set(true);
            InvalidationArray.unref(current, Entries.list(pool.get(pick)));
            attached[pick]--;
            int bound = current.numInvs();
            for (WalkerState s : states) {
              if (current.hasAts() && s.array == current && s.end > bound) {
                failures.add("unref returned while a walker still used bound " + s.end);
              }
              walksChecked++;
            }
            unrefPending.set(false);
            InvalidationArray purged = InvalidationArray.purge(current);
            if (purged != null) {
              published.set(purged);
            }
          }
        } finally {
          tagLock.unlock();
        }
      }
    } finally {
      done.set(true);
      for (Thread t : walkers) {
        t.join(10_000);
      }
    }
    assertThat(failures).isEmpty();
    assertThat(walksChecked).isPositive();
  }

  /**
   * Waits (a little, at most) until a walker is inside the fence of {@code current}, so that the
   * unref about to run really has a walker to wait for.
   */
  private static void awaitWalkerOn(InvalidationArray current, List<WalkerState> states) {
    long give = System.nanoTime() + 4 * MAX_HOLD_NANOS;
    while (System.nanoTime() < give) {
      for (WalkerState s : states) {
        if (s.array == current) {
          return;
        }
      }
      Thread.onSpinWait();
    }
  }

  private static void walk(
      AtomicReference<InvalidationArray> published,
      AtomicBoolean done,
      AtomicBoolean unrefPending,
      WalkerState state,
      ConcurrentLinkedQueue<String> failures) {
    while (!done.get() && failures.isEmpty()) {
      InvalidationArray array = published.get();
      try (InvalidationArray.AtsFenceHold hold = array.readLockIfAts()) {
        LiveEntryIterator it = array.liveEntries();
        state.end = it.end();
        state.array = array;
        Key previous = null;
        while (it.hasNext()) {
          Invalidation e = it.next();
          if (it.lastIndex() >= it.end() || it.end() > array.capacity()) {
            failures.add("slot " + it.lastIndex() + " beyond bound " + it.end());
          }
          if (!whole(e)) {
            failures.add("torn entry " + e);
          }
          Key key = Key.of(e);
          if (previous != null && previous.compareTo(key) >= 0) {
            failures.add("out of order: " + previous + " then " + key);
          }
          previous = key;
          Thread.onSpinWait();
        }
        // Stay inside the fence as a walker does while its batch's CMD_SYNC completes, so that an
        // unref that did not wait for walkers would be seen returning while this bound is in use:
        // until an unref has waited for HOLD_NANOS, or a newer array was published, or
        // MAX_HOLD_NANOS in all. A busy wait: a parked walker would hold the fence for as long as
        // its wake-up takes.
        long now = System.nanoTime();
        long release = now + MAX_HOLD_NANOS;
        boolean seen = false;
        while (now < release) {
          if (!seen && unrefPending.get()) {
            seen = true;
            release = Math.min(release, now + HOLD_NANOS);
          } else if (!seen && published.get() != array) {
            break;
          }
          Thread.onSpinWait();
          now = System.nanoTime();
        }
        state.array = null;
      }
    }
  }
}
