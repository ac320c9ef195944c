package org.smmulab.peer.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.smmulab.arch.bus.BusAbort;
import org.smmulab.arch.cmd.Command;
import org.smmulab.arch.cmd.Opcode;
import org.smmulab.arch.event.EventType;
import org.smmulab.arch.regs.RegisterOffsets;
import org.smmulab.driver.pgtable.Prot;
import org.smmulab.driver.smmu.DriverOptions;
import org.smmulab.peer.EduPort;
import org.smmulab.peer.PeerLayout;
import org.smmulab.peer.ScanResult;
import org.smmulab.peer.diff.FaultRun;
import org.smmulab.peer.diff.PeerOp;
import org.smmulab.peer.diff.PeerWorld;
import org.smmulab.peer.diff.SeededRegion;
import org.smmulab.peer.diff.StepOutcome;

/**
 * The driver on QEMU's SMMUv3: bring-up, stage-1 translation, faults, sharing, range invalidation
 * and block mappings. One QEMU for the class; each test uses its own domains and attaches the
 * devices it needs.
 */
class QemuPeerTest {
  private static final int RW = Prot.READ | Prot.WRITE | Prot.CACHE;
  private static final long IOVA = 0x10_0000L;

  private static QemuMachine qemu;
  private static PeerWorld world;

  @BeforeAll
  static void start() throws Exception {
    qemu = QemuPeers.startOrSkip(2);
    world = new PeerWorld(qemu, DriverOptions.DEFAULTS, 5);
  }

  @AfterAll
  static void stop() {
    if (qemu != null) {
      qemu.close();
    }
  }

  private static StepOutcome ok(PeerOp op) throws BusAbort {
    StepOutcome o = world.apply(op);
    assertThat(o.result()).as(op.describe()).isIn("ok", "unmapped " + sizeOf(op) + " bytes");
    return o;
  }

  private static long sizeOf(PeerOp op) {
    return op instanceof PeerOp.Unmap u ? u.size() : 0;
  }

  private static PeerOp.Dma write(int dev, long iova, int length) {
    return new PeerOp.Dma(dev, true, iova, 0, length);
  }

  @Test
  void theDriverBringsUpQemusSmmuAndTheEduDevicesAnswer() throws Exception {
    var f = world.smmu().features();
    assertThat(f.stage1()).isTrue();
    assertThat(f.stage2()).isFalse();
    assertThat(f.ats()).isFalse();
    assertThat(f.msi()).isFalse();
    assertThat(f.rangeInvalidation()).isTrue();
    assertThat(f.sidBits()).isEqualTo(16);
    assertThat(f.twoLevelStreamTable()).isTrue();
    int cr0ack = qemu.smmuRegisters().read32(RegisterOffsets.CR0ACK);
    assertThat(cr0ack).as("SMMUEN, EVTQEN, CMDQEN").isEqualTo(0b1101);
    assertThat(qemu.pciFunctions())
        .extracting(PciFunction::device, PciFunction::isEdu)
        .containsExactly(tuple(0, false), tuple(1, false), tuple(2, true), tuple(3, true));
    assertThat(qemu.devices()).extracting(EduPort::streamId).containsExactly(0x10, 0x18);
  }

  @Test
  void theStubReportsErrorsAndKeepsAnswering() throws Exception {
    StubLink link = qemu.link();
    assertThatThrownBy(() -> link.read64(0x8000_0000L))
        .isInstanceOfSatisfying(StubError.class, e -> assertThat(e.isAbort()).isTrue());
    assertThatThrownBy(() -> link.read32(0x4800_0002L))
        .isInstanceOfSatisfying(StubError.class, e -> assertThat(e.reply()).isEqualTo("err align"));
    assertThatThrownBy(() -> qemu.memory().read64(0x3f00_0000L))
        .isInstanceOf(BusAbort.class)
        .hasMessageContaining("outside guest RAM");
    assertThat(link.read32(QemuMachine.SMMU_BASE + RegisterOffsets.IDR1) & 0x3f)
        .as("still answering")
        .isEqualTo(16);
  }

  @Test
  void mapDmaUnmapDmaFaultsWithTheTranslationEvent() throws Exception {
    ok(new PeerOp.Attach(0, 0));
    ok(new PeerOp.Map(0, IOVA, PeerLayout.SINK_BASE, 4096, RW));
    StepOutcome first = ok(write(0, IOVA + 0x40, 64));
    assertThat(first.events()).isEmpty();
    assertThat(first.dma().sink(SeededRegion.PAGES)).isEqualTo(new ScanResult(64, 0x40, 0x7f));

    long source = PeerLayout.SOURCE_BASE + 2 * 4096L;
    ok(new PeerOp.Map(0, IOVA + 0x1000, source, 4096, Prot.READ | Prot.CACHE));
    assertThat(ok(new PeerOp.Dma(0, false, IOVA + 0x1100, 512, 32)).events()).isEmpty();
    ok(new PeerOp.Dma(0, true, IOVA + 0x80, 512, 32));
    byte[] copied = new byte[32];
    qemu.memory().read(PeerLayout.SINK_BASE + 0x80, copied, 0, 32);
    for (int i = 0; i < 32; i++) {
      assertThat(copied[i]).as("byte %d", i).isEqualTo(PeerLayout.patternByte(2, 0x100 + i));
    }

    StepOutcome unmap = ok(new PeerOp.Unmap(0, IOVA, 4096));
    assertThat(unmap.commands())
        .extracting(Command::opcode)
        .containsExactly(Opcode.TLBI_NH_VA, Opcode.CMD_SYNC);
    int asid = world.driver().tagOf(world.domains().get(0), world.smmu().id()).id();
    assertThat(unmap.commands().get(0).asid()).isEqualTo(asid);
    assertThat(unmap.commands().get(0).address()).isEqualTo(IOVA);

    StepOutcome after = ok(write(0, IOVA + 0x40, 64));
    assertThat(after.dma().bytesChanged()).isZero();
    assertThat(FaultRun.collapse(after.events()))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.typeName()).isEqualTo(EventType.F_TRANSLATION.name());
              assertThat(r.streamId()).isEqualTo(0x10);
              assertThat(r.read()).isFalse();
              assertThat(r.first()).isEqualTo(IOVA + 0x40);
            });
    StepOutcome readOnly = ok(new PeerOp.Dma(0, true, IOVA + 0x1000, 0, 8));
    assertThat(FaultRun.collapse(readOnly.events()))
        .extracting(FaultRun::typeName)
        .containsExactly(EventType.F_PERMISSION.name());
    ok(new PeerOp.Detach(0));
  }

  @Test
  void twoDevicesShareOneDomainThenOneIsDetached() throws Exception {
    ok(new PeerOp.Attach(0, 1));
    ok(new PeerOp.Attach(1, 1));
    ok(new PeerOp.Map(1, IOVA, PeerLayout.SINK_BASE + 4096, 4096, RW));
    assertThat(ok(write(0, IOVA, 16)).dma().sink(SeededRegion.PAGES))
        .isEqualTo(new ScanResult(16, 0x1000, 0x100f));
    assertThat(ok(write(1, IOVA + 0x800, 16)).dma().sink(SeededRegion.PAGES))
        .isEqualTo(new ScanResult(16, 0x1800, 0x180f));

    StepOutcome detach = ok(new PeerOp.Detach(1));
    assertThat(detach.commands()).extracting(Command::opcode).contains(Opcode.CFGI_STE);
    StepOutcome blocked = ok(write(1, IOVA, 16));
    assertThat(blocked.dma().bytesChanged()).as("an abort STE moves nothing").isZero();
    assertThat(blocked.events()).as("and records nothing").isEmpty();
    assertThat(ok(write(0, IOVA, 16)).dma().bytesChanged()).isEqualTo(16);

    ok(new PeerOp.Attach(1, 2));
    var tagShared = world.driver().tagOf(world.domains().get(1), world.smmu().id());
    var tagOwn = world.driver().tagOf(world.domains().get(2), world.smmu().id());
    assertThat(tagOwn.id()).isNotEqualTo(tagShared.id());
    StepOutcome own = ok(write(1, IOVA, 16));
    assertThat(own.dma().bytesChanged()).as("d2 maps nothing").isZero();
    assertThat(FaultRun.collapse(own.events()))
        .extracting(FaultRun::streamId)
        .containsExactly(0x18);
    assertThat(ok(write(0, IOVA, 16)).dma().bytesChanged()).isEqualTo(16);
    ok(new PeerOp.Detach(0));
    ok(new PeerOp.Detach(1));
  }

  @Test
  void rangeInvalidationAndABlockMapping() throws Exception {
    ok(new PeerOp.Attach(0, 3));
    ok(new PeerOp.Map(3, IOVA, PeerLayout.SINK_BASE + 4 * 4096L, 4 * 4096L, RW));
    assertThat(ok(write(0, IOVA, 8)).dma().bytesChanged()).isEqualTo(8);
    assertThat(ok(write(0, IOVA + 3 * 4096L, 8)).dma().bytesChanged()).isEqualTo(8);

    StepOutcome unmap = ok(new PeerOp.Unmap(3, IOVA, 4 * 4096L));
    List<Command> tlbis =
        unmap.commands().stream().filter(c -> c.opcode() == Opcode.TLBI_NH_VA).toList();
    assertThat(tlbis).as("one range command for four pages").hasSize(1);
    assertThat(tlbis.get(0).tlbiRange().isRange()).isTrue();
    assertThat(tlbis.get(0).tlbiRange().pages()).isEqualTo(4);
    assertThat(ok(write(0, IOVA, 8)).events()).isNotEmpty();
    assertThat(ok(write(0, IOVA + 3 * 4096L, 8)).events())
        .as("QEMU dropped the last page of the range too")
        .isNotEmpty();

    long blockIova = 0x40_0000L;
    ok(new PeerOp.Map(3, blockIova, PeerLayout.BLOCK_BASE, PeerLayout.BLOCK_SIZE, RW));
    StepOutcome inBlock = ok(write(0, blockIova + 0x12340, 32));
    assertThat(inBlock.events()).isEmpty();
    assertThat(inBlock.dma().sink(SeededRegion.BLOCK))
        .isEqualTo(new ScanResult(32, 0x12340, 0x1235f));
    assertThat(ok(write(0, blockIova + 0x1f_fff0L, 8)).dma().sink(SeededRegion.BLOCK))
        .isEqualTo(new ScanResult(8, 0x1f_fff0L, 0x1f_fff7L));
    StepOutcome unmapBlock = ok(new PeerOp.Unmap(3, blockIova, PeerLayout.BLOCK_SIZE));
    assertThat(unmapBlock.commands()).extracting(Command::opcode).contains(Opcode.TLBI_NH_VA);
    StepOutcome gone = ok(write(0, blockIova + 0x12340, 32));
    assertThat(gone.dma().bytesChanged()).isZero();
    assertThat(FaultRun.collapse(gone.events()))
        .extracting(FaultRun::first)
        .containsExactly(blockIova + 0x12340);
    ok(new PeerOp.Detach(0));
  }
}
