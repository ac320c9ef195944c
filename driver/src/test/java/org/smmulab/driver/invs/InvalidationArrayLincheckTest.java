package org.smmulab.driver.invs;

import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.jetbrains.kotlinx.lincheck.LinChecker;
import org.jetbrains.kotlinx.lincheck.annotations.Operation;
import org.jetbrains.kotlinx.lincheck.annotations.Param;
import org.jetbrains.kotlinx.lincheck.paramgen.IntGen;
import org.jetbrains.kotlinx.lincheck.strategy.managed.modelchecking.ModelCheckingOptions;
import org.junit.jupiter.api.Test;

/**
 * Bounded model checking (Lincheck) of a domain's invalidation array: attach and detach (merge,
 * publish; unref, purge, publish — under the tag lock, as the attach sequence does them) against
 * the lock-free walk (full fence, acquire load, ATS read lock, live entries). The sequential
 * specification is this class run one operation at a time: attach and detach return the master's
 * tag-entry users they leave behind, and a walk returns whether every entry it met was sorted after
 * the previous one and still belonged to some attachment — which must hold in every interleaving.
 */
@Param(name = "master", gen = IntGen.class, conf = "0:2")
public class InvalidationArrayLincheckTest {
  private static final SmmuId SMMU0 = new SmmuId(0);
  private static final SmmuId SMMU1 = new SmmuId(1);

  /** Three masters: two on SMMU0 sharing ASID 1, one on SMMU1 with ASID 1. */
  private static InvalidationArray listOf(int master) {
    SmmuId smmu = master == 2 ? SMMU1 : SMMU0;
    return InvalidationArray.of(
        Invalidation.s1Asid(smmu, 1, 0, false), Invalidation.ats(smmu, 0x10 + master, 0));
  }

  private final ReentrantLock tagLock = new ReentrantLock();
  private final AtomicReference<InvalidationArray> published =
      new AtomicReference<>(InvalidationArray.empty(tagLock));
  private final int[] attached = new int[3];

  /** Attaches {@code master} once more; returns the users of its tag entry afterwards. */
  @Operation
  public int attach(@Param(name = "master") int master) {
    tagLock.lock();
    try {
      published.set(InvalidationArray.merge(published.get(), listOf(master)));
      attached[master]++;
      return tagUsers(master);
    } finally {
      tagLock.unlock();
    }
  }

  /** Detaches one attachment of {@code master} if it has one; returns its tag users afterwards. */
  @Operation
  public int detach(@Param(name = "master") int master) {
    tagLock.lock();
    try {
      if (attached[master] == 0) {
        return tagUsers(master);
      }
      InvalidationArray current = published.get();
      InvalidationArray.unref(current, listOf(master));
      attached[master]--;
      InvalidationArray purged = InvalidationArray.purge(current);
      if (purged != null) {
        published.set(purged);
      }
      return tagUsers(master);
    } finally {
      tagLock.unlock();
    }
  }

  /** The walker's view: sorted, and only entries some attachment put there. */
  @Operation
  public boolean walk() {
    VarHandle.fullFence();
    InvalidationArray invs = published.getAcquire();
    try (InvalidationArray.AtsFenceHold hold = invs.readLockIfAts()) {
      LiveEntryIterator it = invs.liveEntries();
      Invalidation previous = null;
      while (it.hasNext()) {
        Invalidation e = it.next();
        if (previous != null && Invalidation.compare(previous, e) >= 0) {
          return false;
        }
        if (e.type().isAts() && (e.id() < 0x10 || e.id() > 0x12)) {
          return false;
        }
        previous = e;
      }
      return true;
    }
  }

  private int tagUsers(int master) {
    SmmuId smmu = master == 2 ? SMMU1 : SMMU0;
    InvalidationArray invs = published.get();
    for (int i = 0; i < invs.numInvs(); i++) {
      Invalidation e = invs.entry(i);
      if (e.smmu().equals(smmu) && e.type() == InvalidationType.S1_ASID && e.users() > 0) {
        return e.users();
      }
    }
    return 0;
  }

  @Test
  void modelCheck() {
    LinChecker.check(
        InvalidationArrayLincheckTest.class,
        new ModelCheckingOptions()
            .iterations(10)
            .invocationsPerIteration(200)
            .threads(3)
            .actorsPerThread(2));
  }
}
