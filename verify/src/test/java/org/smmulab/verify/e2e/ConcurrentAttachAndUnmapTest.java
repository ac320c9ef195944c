package org.smmulab.verify.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.smmulab.arch.pte.Granule;
import org.smmulab.arch.pte.Stage;
import org.smmulab.driver.attach.Master;
import org.smmulab.driver.domain.PagingDomain;
import org.smmulab.driver.invs.Invalidation;
import org.smmulab.driver.invs.InvalidationArray;
import org.smmulab.driver.pgtable.Prot;
import org.smmulab.driver.queue.QueueListener;
import org.smmulab.hw.pcie.Endpoint;
import org.smmulab.hw.smmu.SmmuPresets;

/**
 * With a fixed seed: two threads attach and detach masters of two instances between two shared
 * domains, while two threads map and unmap disjoint ranges (each unmap walking the arrays lock-free
 * and sending commands). Nothing may throw, and at the end every array is sorted with consistent
 * counts and holds exactly the attachments left.
 */
class ConcurrentAttachAndUnmapTest {
  private static final int ROUNDS = 300;

  @Test
  void attachDetachMapUnmapInParallel() throws Exception {
    try (Machine m =
        new Machine(QueueListener.NONE, SmmuPresets.mmu700Like(), SmmuPresets.mmu700Like())) {
      List<PagingDomain> domains =
          List.of(
              m.driver.newPagingDomain("a", Stage.STAGE_1, Granule.SIZE_4K, 48, 48),
              m.driver.newPagingDomain("b", Stage.STAGE_1, Granule.SIZE_4K, 48, 48));
      List<Master> masters = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        var smmu = m.smmus.get(i % 2);
        Endpoint ep = Endpoint.withAts("ep" + i, m.memory, smmu, 8, i, 0x40 + i);
        smmu.connect(ep);
        masters.add(
            m.driver.addMaster("ep" + i, m.devices.get(i % 2).id(), new int[] {0x40 + i}, ep, 0));
      }
      ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
      AtomicBoolean done = new AtomicBoolean();
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        int seed = t;
        threads.add(
            new Thread(
                () -> {
                  SplittableRandom random = new SplittableRandom(0xA77AC4L + seed);
                  try {
                    for (int r = 0; r < ROUNDS; r++) {
                      Master master = masters.get(seed * 4 + random.nextInt(4));
                      if (random.nextInt(3) == 0) {
                        m.driver.detach(master);
                      } else {
                        m.driver.attach(master, domains.get(random.nextInt(2)));
                      }
                    }
                  } catch (Throwable e) {
                    failures.add(e);
                  }
                }));
        threads.add(
            new Thread(
                () -> {
                  SplittableRandom random = new SplittableRandom(0x3A9L + seed);
                  long base = (seed + 1L) << 32;
                  try {
                    while (!done.get()) {
                      PagingDomain d = domains.get(random.nextInt(2));
                      long iova = base + random.nextInt(64) * 0x1000L;
                      try {
                        d.map(iova, 0x9000_0000L, 0x1000, Prot.READ | Prot.WRITE);
                      } catch (org.smmulab.driver.pgtable.AlreadyMappedException e) {
                        d.unmap(iova, 0x1000);
                      }
                    }
                  } catch (Throwable e) {
                    failures.add(e);
                  }
                }));
      }
      threads.forEach(Thread::start);
      threads.get(0).join();
      threads.get(2).join();
      done.set(true);
      for (Thread t : threads) {
        t.join();
      }
      assertThat(failures).isEmpty();

      m.driver.tagLock().lock();
      try {
        for (PagingDomain d : domains) {
          InvalidationArray invs = d.invalidations().get();
          long attached = masters.stream().filter(x -> m.driver.domainOf(x) == d).count();
          int users = 0;
          Invalidation previous = null;
          for (int i = 0; i < invs.numInvs(); i++) {
            Invalidation e = invs.entry(i);
            if (previous != null) {
              assertThat(Invalidation.compare(previous, e)).isLessThan(0);
            }
            previous = e;
            if (e.type().isAts()) {
              users += e.users();
            }
          }
          assertThat(invs.numTrashes()).isZero();
          assertThat((long) users).as("ATS entries of %s", d.name()).isEqualTo(attached);
        }
      } finally {
        m.driver.tagLock().unlock();
      }
    }
  }
}
