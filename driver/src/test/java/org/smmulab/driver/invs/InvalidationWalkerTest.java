package org.smmulab.driver.invs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.smmulab.arch.cmd.Command;
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
    public synchronized void submit(SmmuId smmu, List<Command> commands) {
      targets.add(smmu);
      batches.add(commands);
      duringSubmit.run();
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
}
