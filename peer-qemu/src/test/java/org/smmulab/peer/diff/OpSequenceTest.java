package org.smmulab.peer.diff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.smmulab.peer.EduPort;
import org.smmulab.peer.PeerLayout;

class OpSequenceTest {
  @Test
  void theSameSeedGivesTheSameSequenceAndAnotherSeedAnother() {
    assertThat(OpSequence.random(7, 300, 3, 3)).isEqualTo(OpSequence.random(7, 300, 3, 3));
    assertThat(OpSequence.random(7, 300, 3, 3)).isNotEqualTo(OpSequence.random(8, 300, 3, 3));
  }

  @Test
  void everyOperationStaysWithinWhatThePeerSupports() {
    List<PeerOp> ops = OpSequence.random(1, 2000, 3, 3);
    assertThat(ops).hasSize(2000);
    for (PeerOp op : ops) {
      if (op instanceof PeerOp.Dma d) {
        assertThat(d.length()).isBetween(1, 256);
        assertThat(d.bufferOffset() + d.length()).isLessThanOrEqualTo(EduPort.BUFFER_LIMIT);
        assertThat(d.end()).isLessThanOrEqualTo(PeerLayout.IOVA_LIMIT);
      } else if (op instanceof PeerOp.Map m) {
        assertThat(m.iova() + m.size()).isLessThanOrEqualTo(PeerLayout.IOVA_LIMIT);
        assertThat(m.pa())
            .isBetween(
                PeerLayout.DATA_BASE, PeerLayout.DATA_BASE + PeerLayout.DATA_SIZE - m.size());
      }
    }
    assertThat(ops)
        .extracting(op -> op.getClass().getSimpleName())
        .contains("Attach", "Detach", "Map", "Unmap", "Dma");
    assertThat(
            ops.stream()
                .filter(op -> op instanceof PeerOp.Map m && m.size() == PeerLayout.BLOCK_SIZE))
        .isNotEmpty();
    assertThat(
            ops.stream()
                .filter(
                    op ->
                        op instanceof PeerOp.Unmap u
                            && u.size() > 4096
                            && u.size() < PeerLayout.BLOCK_SIZE))
        .isNotEmpty();
  }

  @Test
  void nonPositiveCountsAreRefused() {
    assertThatThrownBy(() -> OpSequence.random(1, 0, 3, 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("positive");
  }
}
