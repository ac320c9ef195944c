package org.smmulab.driver.invs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.smmulab.arch.cmd.Command;
import org.smmulab.arch.cmd.CommandBatch;
import org.smmulab.arch.cmd.Opcode;

class InvalidationWalkerTest {
  private static final SmmuId SMMU0 = new SmmuId(0);
  private static final SmmuId SMMU1 = new SmmuId(1);

  /** Records each submitted batch as (instance, commands). */
  private static final class RecordingQueues implements InvalidationQueues {
    final Map<SmmuId, Boolean> ril;
    final List<SmmuId> targets = new ArrayList<>();
    final List<List<Command>> batches = new ArrayList<>();
    Runnable duringSubmit = () -> {};

    RecordingQueues(Map<SmmuId, Boolean> ril) {
      this.ril = ril;
    }

    @Override
    public boolean rangeInvalidation(SmmuId smmu) {
      return ril.getOrDefault(smmu, false);
    }

    @Override
    public synchronized void submit(SmmuId smmu, CommandBatch commands) {
      targets.add(smmu);
      batches.add(commands.toList());
      duringSubmit.run();
    }
  }

  /**
   * A fence whose first walker entry stops until {@link #resume} opens: the walker has loaded its
   * array and has not entered the fence yet.
   */
  private static final class PausingFence extends AtsFence {
    final CountDownLatch paused = new CountDownLatch(1);
    final CountDownLatch resume = new CountDownLatch(1);
    private final AtomicBoolean first = new AtomicBoolean(true);

    @Override
    int enter() {
      if (first.getAndSet(false)) {
        paused.countDown();
        try {
          resume.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return super.enter();
    }
  }

  private final ReentrantLock tagLock = new ReentrantLock();

  private AtomicReference<InvalidationArray> domain(Invalidation... entries) {
    tagLock.lock();
    try {
      return new AtomicReference<>(
          InvalidationArray.merge(InvalidationArray.empty(tagLock), InvalidationArray.of(entries)));
    } finally {
      tagLock.unlock();
    }
  }

  private AtomicReference<InvalidationArray> domain(AtsFence fence, Invalidation... entries) {
    tagLock.lock();
    try {
      return new AtomicReference<>(
          InvalidationArray.merge(
              InvalidationArray.empty(tagLock, fence), InvalidationArray.of(entries)));
    } finally {
      tagLock.unlock();
    }
  }

  private static List<Integer> atcStreamIds(RecordingQueues queues) {
    return queues.batches.stream()
        .flatMap(List::stream)
        .filter(c -> c.opcode() == Opcode.ATC_INV)
        .map(Command::sid)
        .toList();
  }

  private static List<Opcode> opcodes(List<Command> batch) {
    return batch.stream().map(Command::opcode).toList();
  }

  @Test
  void oneBatchPerInstanceWithPerPageCommandsWithoutRangeInvalidation() {
    RecordingQueues queues = new RecordingQueues(Map.of(SMMU1, true));
    var invs =
        domain(Invalidation.s1Asid(SMMU0, 3, 0, false), Invalidation.s1Asid(SMMU1, 7, 12, false));

    new InvalidationWalker(queues).invalidateRange(invs, 0x10_0000, 0x3000, 0x1000, true);

    assertThat(queues.targets).containsExactly(SMMU0, SMMU1);
    List<Command> perPage = queues.batches.get(0);
    assertThat(perPage).hasSize(3);
    assertThat(perPage)
        .extracting(Command::address)
        .containsExactly(0x10_0000L, 0x10_1000L, 0x10_2000L);
    assertThat(perPage).allSatisfy(c -> assertThat(c.asid()).isEqualTo(3));
    assertThat(perPage).allSatisfy(c -> assertThat(c.tg()).isZero());
    Command range = queues.batches.get(1).get(0);
    assertThat(queues.batches.get(1)).hasSize(1);
    assertThat(range.opcode()).isEqualTo(Opcode.TLBI_NH_VA);
    assertThat(range.asid()).isEqualTo(7);
    assertThat(range.vmid()).isZero();
    // 3 pages of 4 KiB: NUM = 2, SCALE = 0, TG = 1 (4K), TTL = 3 for a 4 KiB leaf.
    assertThat(range.num()).isEqualTo(2);
    assertThat(range.scale()).isZero();
    assertThat(range.tg()).isEqualTo(1);
    assertThat(range.ttl()).isEqualTo(3);
    assertThat(range.leaf()).isTrue();
  }

  @Test
  void thirtyFivePagesMakeTwoRangeCommands() {
    RecordingQueues queues = new RecordingQueues(Map.of(SMMU0, true));
    var invs = domain(Invalidation.s2Vmid(SMMU0, 9, 12));

    new InvalidationWalker(queues).invalidateRange(invs, 0, 35L << 12, 0x1000, true);

    List<Command> batch = queues.batches.get(0);
    assertThat(opcodes(batch)).containsExactly(Opcode.TLBI_S2_IPA, Opcode.TLBI_S2_IPA);
    assertThat(batch.get(0).scale()).isZero();
    assertThat(batch.get(0).num()).isEqualTo(2);
    assertThat(batch.get(1).scale()).isEqualTo(5);
    assertThat(batch.get(1).num()).isZero();
    assertThat(batch.get(1).address()).isEqualTo(3L << 12);
    assertThat(batch).allSatisfy(c -> assertThat(c.vmid()).isEqualTo(9));
  }

  @Test
  void tooBigRangesUseTheWholeTagCommand() {
    RecordingQueues queues = new RecordingQueues(Map.of());
    var invs = domain(Invalidation.s1Asid(SMMU0, 3, 0, false), Invalidation.s2Vmid(SMMU1, 4, 0));

    // Without range invalidation, 2 MiB of 4 KiB pages reaches the 512-command limit.
    new InvalidationWalker(queues).invalidateRange(invs, 0, 2L << 20, 0x1000, true);
    new InvalidationWalker(queues).invalidateAll(invs);

    assertThat(queues.batches)
        .extracting(InvalidationWalkerTest::opcodes)
        .containsExactly(
            List.of(Opcode.TLBI_NH_ASID),
            List.of(Opcode.TLBI_S12_VMALL),
            List.of(Opcode.TLBI_NH_ASID),
            List.of(Opcode.TLBI_S12_VMALL));
    assertThat(queues.batches.get(0).get(0).asid()).isEqualTo(3);
    assertThat(queues.batches.get(1).get(0).vmid()).isEqualTo(4);
  }

  @Test
  void nestingParentSyncsStageTwoBeforeTheStageOneClearAndTheAtcLast() {
    RecordingQueues queues = new RecordingQueues(Map.of(SMMU0, true));
    var invs =
        domain(
            Invalidation.s2Vmid(SMMU0, 5, 12),
            Invalidation.s2VmidS1Clear(SMMU0, 5),
            Invalidation.atsFull(SMMU0, 0x40, 0),
            Invalidation.atsFull(SMMU0, 0x41, 0));

    new InvalidationWalker(queues).invalidateRange(invs, 0x8000, 0x1000, 0x1000, true);

    assertThat(queues.batches)
        .extracting(InvalidationWalkerTest::opcodes)
        .containsExactly(
            List.of(Opcode.TLBI_S2_IPA),
            List.of(Opcode.TLBI_NH_ALL),
            List.of(Opcode.ATC_INV, Opcode.ATC_INV));
    assertThat(queues.batches.get(2))
        .allSatisfy(c -> assertThat(c.size()).isEqualTo(Command.ATC_SIZE_ALL));
  }

  @Test
  void aWholeVmidInvalidationMakesTheStageOneClearRedundantAndTheWalkStillEnds() {
    RecordingQueues queues = new RecordingQueues(Map.of());
    var invs =
        domain(
            Invalidation.s2Vmid(SMMU0, 5, 0),
            Invalidation.s2VmidS1Clear(SMMU0, 5),
            Invalidation.s1Asid(SMMU1, 2, 0, false));

    new InvalidationWalker(queues).invalidateAll(invs);

    assertThat(queues.targets).containsExactly(SMMU0, SMMU1);
    assertThat(queues.batches)
        .extracting(InvalidationWalkerTest::opcodes)
        .containsExactly(List.of(Opcode.TLBI_S12_VMALL), List.of(Opcode.TLBI_NH_ASID));
  }

  @Test
  void atsEntriesGetTheEnclosingAlignedBlockPerSubstream() {
    RecordingQueues queues = new RecordingQueues(Map.of());
    var invs =
        domain(
            Invalidation.s1Asid(SMMU0, 1, 0, false),
            Invalidation.ats(SMMU0, 0x10, 0),
            Invalidation.ats(SMMU0, 0x10, 3));

    // Pages 7..10 need the aligned 16-page block 0..15.
    new InvalidationWalker(queues).invalidateRange(invs, 7L << 12, 4L << 12, 0x1000, true);

    assertThat(queues.batches).hasSize(2);
    List<Command> atc = queues.batches.get(1);
    assertThat(atc).extracting(Command::address).containsExactly(0L, 0L);
    assertThat(atc).extracting(Command::size).containsExactly(4, 4);
    assertThat(atc).extracting(Command::ssv).containsExactly(false, true);
    assertThat(atc).extracting(Command::ssid).containsExactly(0, 3);
    assertThat(atc).extracting(Command::sid).containsExactly(0x10, 0x10);
  }

  @Test
  void trashIsSkipped() {
    RecordingQueues queues = new RecordingQueues(Map.of());
    var invs =
        domain(Invalidation.s1Asid(SMMU0, 1, 0, false), Invalidation.s1Asid(SMMU1, 2, 0, false));
    tagLock.lock();
    try {
      InvalidationArray.unref(
          invs.get(), InvalidationArray.of(Invalidation.s1Asid(SMMU0, 1, 0, false)));
    } finally {
      tagLock.unlock();
    }

    new InvalidationWalker(queues).invalidateAll(invs);

    assertThat(queues.targets).containsExactly(SMMU1);
  }

  @Test
  void anEmptyDomainSendsNothing() {
    RecordingQueues queues = new RecordingQueues(Map.of());
    new InvalidationWalker(queues)
        .invalidateAll(new AtomicReference<>(InvalidationArray.empty(tagLock)));
    assertThat(queues.batches).isEmpty();
  }

  @Test
  void unrefWaitsForAWalkerSendingAtcInvalidations() throws Exception {
    RecordingQueues queues = new RecordingQueues(Map.of());
    var invs = domain(Invalidation.s1Asid(SMMU0, 1, 0, false), Invalidation.ats(SMMU0, 0x20, 0));
    CountDownLatch inSubmit = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    queues.duringSubmit =
        () -> {
          inSubmit.countDown();
          try {
            release.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        };
    Thread walker = new Thread(() -> new InvalidationWalker(queues).invalidateAll(invs), "walker");
    walker.start();
    assertThat(inSubmit.await(10, TimeUnit.SECONDS)).isTrue();

    CountDownLatch unrefDone = new CountDownLatch(1);
    Thread detach =
        new Thread(
            () -> {
              tagLock.lock();
              try {
                InvalidationArray.unref(
                    invs.get(),
                    InvalidationArray.of(
                        Invalidation.s1Asid(SMMU0, 1, 0, false), Invalidation.ats(SMMU0, 0x20, 0)));
              } finally {
                tagLock.unlock();
              }
              unrefDone.countDown();
            },
            "detach");
    detach.start();
    assertThat(unrefDone.await(200, TimeUnit.MILLISECONDS))
        .as("unref must wait while the walker's ATC batch is in flight")
        .isFalse();
    release.countDown();
    assertThat(unrefDone.await(10, TimeUnit.SECONDS)).isTrue();
    walker.join();
    detach.join();
  }

  @Test
  void unrefAlsoWaitsForAWalkerOnAnOlderVersionOfTheArray() throws Exception {
    RecordingQueues queues = new RecordingQueues(Map.of());
    Invalidation[] master = {
      Invalidation.s1Asid(SMMU0, 1, 0, false), Invalidation.ats(SMMU0, 0x20, 0)
    };
    var invs = domain(master);
    CountDownLatch inSubmit = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    queues.duringSubmit =
        () -> {
          inSubmit.countDown();
          try {
            release.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        };
    Thread walker =
        new Thread(() -> new InvalidationWalker(queues).invalidateAll(invs), "old-walker");
    walker.start();
    assertThat(inSubmit.await(10, TimeUnit.SECONDS)).isTrue();

    // Another attach replaces the array the walker holds.
    tagLock.lock();
    try {
      invs.set(
          InvalidationArray.merge(
              invs.get(), InvalidationArray.of(Invalidation.ats(SMMU1, 0x30, 0))));
    } finally {
      tagLock.unlock();
    }
    CountDownLatch unrefDone = new CountDownLatch(1);
    Thread detach =
        new Thread(
            () -> {
              tagLock.lock();
              try {
                InvalidationArray.unref(invs.get(), InvalidationArray.of(master));
              } finally {
                tagLock.unlock();
              }
              unrefDone.countDown();
            },
            "detach");
    detach.start();
    assertThat(unrefDone.await(200, TimeUnit.MILLISECONDS))
        .as("the walker on the replaced array is fenced too")
        .isFalse();
    release.countDown();
    assertThat(unrefDone.await(10, TimeUnit.SECONDS)).isTrue();
    walker.join();
    detach.join();
  }

  @Test
  void
      aWalkerDelayedBetweenLoadingItsArrayAndEnteringTheFenceSendsNothingForAMasterDetachedMeanwhile()
          throws Exception {
    RecordingQueues queues = new RecordingQueues(Map.of());
    PausingFence fence = new PausingFence();
    var invs =
        domain(fence, Invalidation.s1Asid(SMMU0, 1, 0, false), Invalidation.ats(SMMU0, 0x20, 0));
    Thread walker =
        new Thread(() -> new InvalidationWalker(queues).invalidateAll(invs), "delayed-walker");
    walker.start();
    assertThat(fence.paused.await(10, TimeUnit.SECONDS)).isTrue();

    // The walker holds version V. Another attach replaces V; then the master behind SID 0x20 is
    // detached from the replacement: its unref has no walker to wait for and returns.
    tagLock.lock();
    try {
      invs.set(
          InvalidationArray.merge(
              invs.get(),
              InvalidationArray.of(
                  Invalidation.s1Asid(SMMU1, 2, 0, false), Invalidation.ats(SMMU1, 0x30, 0))));
      InvalidationArray current = invs.get();
      InvalidationArray.unref(
          current,
          InvalidationArray.of(
              Invalidation.s1Asid(SMMU0, 1, 0, false), Invalidation.ats(SMMU0, 0x20, 0)));
      InvalidationArray purged = InvalidationArray.purge(current);
      if (purged != null) {
        invs.set(purged);
      }
    } finally {
      tagLock.unlock();
    }
    // unref returned: from now on the device behind SID 0x20 may be reset at any time.
    fence.resume.countDown();
    walker.join(10_000);

    assertThat(walker.isAlive()).isFalse();
    assertThat(queues.targets)
        .as("the walk ran, on the current array")
        .containsExactly(SMMU1, SMMU1);
    assertThat(atcStreamIds(queues))
        .as("no ATC invalidation for the device detached before the walker entered the fence")
        .containsExactly(0x30);
  }

  @Test
  void aReservedTtlFallsBackToTheWholeTagInsteadOfThrowing() {
    RecordingQueues queues = new RecordingQueues(Map.of(SMMU0, true, SMMU1, true));
    // 16 KiB pages: a leaf at level 1 (64 GiB) would need TTL 1, which is reserved with 16 KiB.
    var invs =
        domain(
            Invalidation.s1Asid(SMMU0, 3, 14, false),
            Invalidation.ats(SMMU0, 0x40, 0),
            Invalidation.s2Vmid(SMMU1, 6, 14));

    new InvalidationWalker(queues).invalidateRange(invs, 1L << 36, 1L << 36, 1L << 36, true);

    assertThat(queues.batches)
        .extracting(InvalidationWalkerTest::opcodes)
        .containsExactly(
            List.of(Opcode.TLBI_NH_ASID), List.of(Opcode.ATC_INV), List.of(Opcode.TLBI_S12_VMALL));
    assertThat(queues.batches.get(0).get(0).asid()).isEqualTo(3);
    assertThat(queues.batches.get(1).get(0).size()).as("the ATC range is fine").isEqualTo(24);
    assertThat(queues.batches.get(2).get(0).vmid()).isEqualTo(6);
  }

  @Test
  void rangesTheCommandsCannotExpressFallBackPerEntryAndTheRestOfTheWalkGoesOn() {
    RecordingQueues queues = new RecordingQueues(Map.of(SMMU0, true, SMMU1, true));
    var invs =
        domain(
            // A page size that is not 4, 16 or 64 KiB.
            Invalidation.s1Asid(SMMU0, 3, 13, false), Invalidation.s1Asid(SMMU1, 4, 12, false));

    new InvalidationWalker(queues).invalidateRange(invs, 0x4000, 0x1000, 0x1000, true);
    // A leaf size that is no level's entry size with 4 KiB pages.
    new InvalidationWalker(queues).invalidateRange(invs, 0x8000, 0x8000, 0x8000, true);
    // A granule that is not a power of two.
    new InvalidationWalker(queues).invalidateRange(invs, 0x3000, 0x3000, 0x3000, true);

    assertThat(queues.batches)
        .extracting(InvalidationWalkerTest::opcodes)
        .containsExactly(
            List.of(Opcode.TLBI_NH_ASID),
            List.of(Opcode.TLBI_NH_VA),
            List.of(Opcode.TLBI_NH_ASID),
            List.of(Opcode.TLBI_NH_ASID),
            List.of(Opcode.TLBI_NH_ASID),
            List.of(Opcode.TLBI_NH_ASID));
    assertThat(queues.batches.get(1).get(0).address()).isEqualTo(0x4000);
  }

  @Test
  void anIpaBeyondFiftyTwoBitsUsesTheWholeVmid() {
    RecordingQueues queues = new RecordingQueues(Map.of(SMMU0, true));
    var invs = domain(Invalidation.s2Vmid(SMMU0, 9, 12), Invalidation.s1Asid(SMMU1, 2, 0, false));

    new InvalidationWalker(queues).invalidateRange(invs, 1L << 52, 0x1000, 0x1000, true);

    assertThat(queues.batches)
        .extracting(InvalidationWalkerTest::opcodes)
        .containsExactly(List.of(Opcode.TLBI_S12_VMALL), List.of(Opcode.TLBI_NH_VA));
    assertThat(queues.batches.get(1).get(0).address()).isEqualTo(1L << 52);
  }

  @Test
  void aRangePassingTheEndOfTheAddressSpaceInvalidatesTheWholeTagAndSubstream() {
    RecordingQueues queues = new RecordingQueues(Map.of(SMMU0, true));
    var invs = domain(Invalidation.s1Asid(SMMU0, 3, 12, false), Invalidation.ats(SMMU0, 0x50, 7));

    new InvalidationWalker(queues).invalidateRange(invs, -0x1000L, 0x2000, 0x1000, true);

    assertThat(queues.batches)
        .extracting(InvalidationWalkerTest::opcodes)
        .containsExactly(List.of(Opcode.TLBI_NH_ASID), List.of(Opcode.ATC_INV));
    Command atc = queues.batches.get(1).get(0);
    assertThat(atc.size()).isEqualTo(Command.ATC_SIZE_ALL);
    assertThat(atc.ssid()).isEqualTo(7);
    assertThat(atc.ssv()).isTrue();
  }

  @Test
  void oneRangePlanServesEveryTagOfTheSamePageSize() {
    SmmuId smmu2 = new SmmuId(2);
    RecordingQueues queues = new RecordingQueues(Map.of(SMMU0, true, SMMU1, false, smmu2, true));
    var invs =
        domain(
            Invalidation.s1Asid(SMMU0, 3, 12, false),
            Invalidation.s1Asid(SMMU1, 4, 0, false),
            Invalidation.s2Vmid(smmu2, 5, 16));

    // 35 pages of 4 KiB at 0x40_0000, tables freed: ranges on SMMU0, 35 per-page commands on
    // SMMU1, and one 64 KiB range (widened to 0x40_0000..0x43_0000, three pages) on the third.
    new InvalidationWalker(queues).invalidateRange(invs, 0x40_0000, 35L << 12, 0x1000, false);

    assertThat(queues.batches).hasSize(3);
    assertThat(queues.batches.get(0))
        .extracting(Command::num, Command::scale)
        .containsExactly(tuple(2, 0), tuple(0, 5));
    assertThat(queues.batches.get(1)).hasSize(35).allSatisfy(c -> assertThat(c.tg()).isZero());
    assertThat(queues.batches.get(2))
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.opcode()).isEqualTo(Opcode.TLBI_S2_IPA);
              assertThat(c.tg()).isEqualTo(3);
              assertThat(c.num()).isEqualTo(2);
              assertThat(c.address()).isEqualTo(0x40_0000L);
            });
  }
}
