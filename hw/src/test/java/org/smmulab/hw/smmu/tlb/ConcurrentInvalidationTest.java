package org.smmulab.hw.smmu.tlb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.smmulab.hw.smmu.tlb.CacheFixtures.knobs;
import static org.smmulab.hw.smmu.tlb.CacheFixtures.s1;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.smmulab.arch.cmd.Command;
import org.smmulab.arch.cmd.TlbiRange;
import org.smmulab.arch.pte.Granule;
import org.smmulab.hw.smmu.SmmuConfig.Replacement;
import org.smmulab.hw.smmu.tlb.CacheTag.Kind;
import org.smmulab.hw.smmu.tlb.CacheTag.World;
import org.smmulab.hw.smmu.txn.Permissions;

/**
 * Translating threads look up pages and, on a miss, "walk" a table of page versions and insert what
 * they read; a command thread bumps a page's version, invalidates it with a TLBI and then publishes
 * the version as retired. A lookup that starts after the retirement must never return an older
 * version: that would be an invalidation lost to a concurrent walk.
 */
class ConcurrentInvalidationTest {
  private static final int PAGES = 8;
  private static final int TRANSLATORS = 2;
  private static final int LOOKUPS_PER_TRANSLATOR = 40_000;
  private static final int INVALIDATIONS = 3_000;

  private final TranslationCacheSet caches =
      new TranslationCacheSet(knobs(6, Replacement.LRU, 7, false));
  private final AtomicLongArray tableVersion = new AtomicLongArray(PAGES);
  private final AtomicLongArray retiredVersion = new AtomicLongArray(PAGES);
  private final ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();

  private static long pageAddress(int page) {
    return page * 0x1000L;
  }

  private void translate(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < LOOKUPS_PER_TRANSLATOR; i++) {
      int page = random.nextInt(PAGES);
      long retired = retiredVersion.get(page);
      TlbEntry hit = caches.lookup(World.NS_EL1, Kind.STAGE1, 1, 5, pageAddress(page));
      if (hit != null) {
        long version = hit.outputBase() >>> 12;
        if (version < retired) {
          violations.add("page " + page + " returned version " + version + " after " + retired);
        }
      } else {
        long walkStart = caches.generation();
        long version = tableVersion.get(page);
        caches.insert(
            new TlbEntry(
                s1(1, 5),
                pageAddress(page),
                12,
                version << 12,
                Permissions.ALL,
                3,
                Granule.SIZE_4K),
            walkStart);
      }
    }
  }

  private void invalidate(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < INVALIDATIONS; i++) {
      int page = random.nextInt(PAGES);
      long version = tableVersion.incrementAndGet(page);
      Command cmd =
          switch (random.nextInt(4)) {
            case 0 -> Command.tlbiNhVa(1, 5, TlbiRange.single(pageAddress(page), true));
            case 1 ->
                Command.tlbiNhVa(
                    1, 5, TlbiRange.of(pageAddress(page), Granule.SIZE_4K, 1, 0, 3, true));
            case 2 -> Command.tlbiNhAsid(1, 5);
            default -> Command.tlbiNhAll(1);
          };
      caches.invalidate(cmd);
      retiredVersion.set(page, version);
    }
  }

  @Test
  @Timeout(60)
  void noLookupReturnsAnEntryRetiredBeforeItStarted() throws Exception {
    CyclicBarrier start = new CyclicBarrier(TRANSLATORS + 1);
    List<Thread> threads = new ArrayList<>();
    ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
    for (int t = 0; t < TRANSLATORS; t++) {
      long seed = 100 + t;
      threads.add(new Thread(() -> run(start, () -> translate(seed), errors), "translator-" + t));
    }
    threads.add(new Thread(() -> run(start, () -> invalidate(99), errors), "commands"));
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join();
    }

    assertThat(errors).isEmpty();
    assertThat(violations).isEmpty();
    CacheStatistics stats = caches.statistics().tlb();
    assertThat(stats.hits() + stats.misses())
        .isEqualTo((long) TRANSLATORS * LOOKUPS_PER_TRANSLATOR);
    assertThat(caches.generation()).isEqualTo(INVALIDATIONS);
    assertThat(caches.tlbEntries()).hasSizeLessThanOrEqualTo(6);
    for (int page = 0; page < PAGES; page++) {
      TlbEntry left = caches.lookup(World.NS_EL1, Kind.STAGE1, 1, 5, pageAddress(page));
      if (left != null) {
        assertThat(left.outputBase() >>> 12).isEqualTo(tableVersion.get(page));
      }
    }
  }

  private static void run(
      CyclicBarrier start, Runnable body, ConcurrentLinkedQueue<Throwable> errors) {
    try {
      start.await();
      body.run();
    } catch (Throwable e) {
      errors.add(e);
    }
  }
}
