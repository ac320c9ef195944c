package org.smmulab.peer.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.smmulab.arch.cmd.Command;
import org.smmulab.arch.cmd.Opcode;
import org.smmulab.driver.inject.Injection;
import org.smmulab.driver.pgtable.Prot;
import org.smmulab.driver.smmu.DriverOptions;
import org.smmulab.peer.PeerLayout;
import org.smmulab.peer.diff.PeerOp;
import org.smmulab.peer.diff.PeerWorld;
import org.smmulab.peer.diff.StepOutcome;

/**
 * The injected bug {@code skip-tlbi} observed on QEMU: QEMU caches translations, so without the
 * TLBI a DMA after unmap still reaches the old page.
 */
class QemuSkipTlbiTest {
  private static QemuMachine qemu;
  private static PeerWorld world;

  @BeforeAll
  static void start() throws Exception {
    qemu = QemuPeers.startOrSkip(1);
    world = new PeerWorld(qemu, DriverOptions.DEFAULTS.with(Injection.SKIP_TLBI), 1);
  }

  @AfterAll
  static void stop() {
    if (qemu != null) {
      qemu.close();
    }
  }

  @Test
  void theDmaAfterUnmapStillSucceedsWithoutTheTlbi() throws Exception {
    long iova = 0x10_0000L;
    world.apply(new PeerOp.Attach(0, 0));
    world.apply(new PeerOp.Map(0, iova, PeerLayout.SINK_BASE, 4096, Prot.READ | Prot.WRITE));
    assertThat(world.apply(new PeerOp.Dma(0, true, iova, 0, 32)).dma().bytesChanged())
        .as("the first DMA walks the tables and caches the translation")
        .isEqualTo(32);

    StepOutcome unmap = world.apply(new PeerOp.Unmap(0, iova, 4096));
    assertThat(unmap.result()).isEqualTo("unmapped 4096 bytes");
    assertThat(unmap.commands()).extracting(Command::opcode).doesNotContain(Opcode.TLBI_NH_VA);

    StepOutcome stale = world.apply(new PeerOp.Dma(0, true, iova, 0, 32));
    assertThat(stale.events()).as("no fault").isEmpty();
    assertThat(stale.dma().bytesChanged())
        .as("QEMU used its cached translation of the unmapped page")
        .isEqualTo(32);

    StepOutcome detach = world.apply(new PeerOp.Detach(0));
    assertThat(detach.commands())
        .as("the tag's last user left: its ASID is flushed, outside the skipped walker")
        .extracting(Command::opcode)
        .contains(Opcode.TLBI_NH_ASID);
    world.apply(new PeerOp.Attach(0, 0));
    StepOutcome flushed = world.apply(new PeerOp.Dma(0, true, iova, 0, 32));
    assertThat(flushed.dma().bytesChanged()).as("after TLBI_NH_ASID the page is gone").isZero();
    assertThat(flushed.events()).isNotEmpty();
  }
}
