package org.smmulab.driver.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.smmulab.arch.cmd.Command;
import org.smmulab.arch.cmd.CommandBatch;
import org.smmulab.arch.cmd.Opcode;
import org.smmulab.arch.pte.Granule;
import org.smmulab.arch.pte.Stage;
import org.smmulab.arch.testing.TestMemory;
import org.smmulab.driver.alloc.AllocatorExhaustedException;
import org.smmulab.driver.alloc.PageAllocator;
import org.smmulab.driver.alloc.RamRange;
import org.smmulab.driver.invs.Invalidation;
import org.smmulab.driver.invs.InvalidationArray;
import org.smmulab.driver.invs.InvalidationQueues;
import org.smmulab.driver.invs.InvalidationType;
import org.smmulab.driver.invs.InvalidationWalker;
import org.smmulab.driver.invs.SmmuId;
import org.smmulab.driver.pgtable.IoPageTable;
import org.smmulab.driver.pgtable.PageTableConfig;
import org.smmulab.driver.pgtable.Prot;

class PagingDomainTest {
  private static final SmmuId SMMU0 = new SmmuId(0);
  private final TestMemory memory = new TestMemory(40);
  private final PageAllocator allocator =
      new PageAllocator(memory, List.of(new RamRange(0x4000_0000L, 16L << 20)));
  private final ReentrantLock tagLock = new ReentrantLock();
  private final List<Command> sent = new ArrayList<>();
  private boolean rangeInvalidation;
  private final InvalidationWalker walker =
      new InvalidationWalker(
          new InvalidationQueues() {
            @Override
            public boolean rangeInvalidation(SmmuId smmu) {
              return rangeInvalidation;
            }

            @Override
            public void submit(SmmuId smmu, CommandBatch commands) {
              sent.addAll(commands.toList());
            }
          });

  private PagingDomain domain(Stage stage) throws Exception {
    IoPageTable table =
        IoPageTable.create(PageTableConfig.of(stage, Granule.SIZE_4K, 48, 48), memory, allocator);
    PagingDomain d = new PagingDomain("d", table, walker, tagLock);
    tagLock.lock();
    try {
      Invalidation tag =
          stage == Stage.STAGE_1
              ? Invalidation.s1Asid(SMMU0, 5, 0, false)
              : Invalidation.s2Vmid(SMMU0, 6, 0);
      d.invalidations()
          .set(InvalidationArray.merge(d.invalidations().get(), InvalidationArray.of(tag)));
    } finally {
      tagLock.unlock();
    }
    return d;
  }

  @Test
  void unmapOfAPageSendsALeafInvalidationOfThatPage() throws Exception {
    PagingDomain d = domain(Stage.STAGE_1);
    assertThat(d.type()).isEqualTo(DomainType.PAGING_S1);
    assertThat(d.tagType()).isEqualTo(InvalidationType.S1_ASID);
    d.map(0x10_0000, 0x5000_0000L, 0x2000, Prot.READ | Prot.WRITE);
    assertThat(d.iovaToPhys(0x10_1234)).isEqualTo(0x5000_1234L);
    assertThat(sent).as("map invalidates nothing").isEmpty();

    assertThat(d.unmap(0x10_1000, 0x1000).unmappedBytes()).isEqualTo(0x1000);

    assertThat(sent).hasSize(1);
    Command c = sent.get(0);
    assertThat(c.opcode()).isEqualTo(Opcode.TLBI_NH_VA);
    assertThat(c.asid()).isEqualTo(5);
    assertThat(c.address()).isEqualTo(0x10_1000L);
    assertThat(c.leaf()).isTrue();
    assertThat(d.iovaToPhys(0x10_1234)).isZero();
  }

  @Test
  void unmappingNothingSendsNothingAndFlushAllUsesTheWholeTag() throws Exception {
    PagingDomain d = domain(Stage.STAGE_2);
    assertThat(d.unmap(0x20_0000, 0x1000).unmappedBytes()).isZero();
    assertThat(sent).isEmpty();

    d.flushAll();

    assertThat(sent).extracting(Command::opcode).containsExactly(Opcode.TLBI_S12_VMALL);
    assertThat(sent.get(0).vmid()).isEqualTo(6);
  }

  @Test
  void unmapThatFreesATableInvalidatesWalkCachesToo() throws Exception {
    PagingDomain d = domain(Stage.STAGE_2);
    d.map(0x40_0000, 0x6000_0000L, 0x1000, Prot.READ);
    // A 2 MiB unmap over a table that holds one page frees that table.
    assertThat(d.unmap(0x40_0000, 0x20_0000).tablesFreed()).isTrue();

    assertThat(sent)
        .as("2 MiB reaches the per-page limit without range invalidation")
        .extracting(Command::opcode)
        .containsExactly(Opcode.TLBI_S12_VMALL);
  }

  @Test
  void withRangeInvalidationAFreedTableGetsANonLeafRange() throws Exception {
    rangeInvalidation = true;
    PagingDomain d = domain(Stage.STAGE_2);
    d.map(0x40_0000, 0x6000_0000L, 0x1000, Prot.READ);
    assertThat(d.unmap(0x40_0000, 0x20_0000).tablesFreed()).isTrue();

    assertThat(sent).hasSize(1);
    Command c = sent.get(0);
    assertThat(c.opcode()).isEqualTo(Opcode.TLBI_S2_IPA);
    assertThat(c.leaf()).isFalse();
    assertThat(c.ttl()).as("no TTL for a non-leaf invalidation").isZero();
    assertThat(c.address()).isEqualTo(0x40_0000L);
  }

  @Test
  void unmapOfPagesAndBlocksTogetherCarriesNoLevelHint() throws Exception {
    rangeInvalidation = true;
    PagingDomain d = domain(Stage.STAGE_1);
    d.map(0x1ff000, 0x1ff000, 0x201000, Prot.READ | Prot.WRITE);
    assertThat(d.unmap(0x1ff000, 0x201000).leafOnlyInvalidation()).isFalse();

    assertThat(sent).isNotEmpty();
    assertThat(sent)
        .allSatisfy(
            c -> {
              assertThat(c.opcode()).isEqualTo(Opcode.TLBI_NH_VA);
              assertThat(c.ttl()).as("a 4K page and a 2M block share no TTL").isZero();
              assertThat(c.leaf()).isFalse();
            });
  }

  @Test
  void aMapThatRunsOutOfTableMemoryInvalidatesWhatItHadWritten() throws Exception {
    PagingDomain d = domain(Stage.STAGE_1);
    // The tables for the first 2 MiB exist; the next 2 MiB needs a new level-3 table.
    d.map(0x1f_f000, 0x5000_0000L, 0x1000, Prot.READ);
    d.unmap(0x1f_f000, 0x1000);
    sent.clear();
    while (true) {
      try {
        allocator.allocate(4096);
      } catch (AllocatorExhaustedException full) {
        break;
      }
    }

    assertThatThrownBy(() -> d.map(0x1f_f000, 0x5000_0000L, 0x2000, Prot.READ))
        .isInstanceOf(AllocatorExhaustedException.class);

    assertThat(d.iovaToPhys(0x1f_f000)).as("the written leaf was removed").isZero();
    assertThat(sent)
        .as("an SMMU may have cached the removed leaf")
        .extracting(Command::opcode)
        .contains(Opcode.TLBI_NH_VA);
    assertThat(sent).extracting(Command::address).contains(0x1f_f000L);
  }
}
