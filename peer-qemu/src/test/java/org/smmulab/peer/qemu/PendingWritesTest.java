package org.smmulab.peer.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PendingWritesTest {
  @Test
  void zeroRunsBecomeOneFill() {
    PendingWrites p = new PendingWrites();
    for (int i = 0; i < 512; i++) {
      p.add(0x4020_0000L + 8L * i, 0);
    }
    assertThat(p.drain()).containsExactly("fill 40200000 1000 0");
    assertThat(p.isEmpty()).isTrue();
  }

  @Test
  void aSingleWordIsOneW8AndShortStretchesAreBlockWritesInLittleEndianOrder() {
    PendingWrites p = new PendingWrites();
    p.add(0x4000_0008L, 0x1122_3344_5566_7788L);
    assertThat(p.drain()).containsExactly("w8 40000008 1122334455667788");

    p.add(0x4000_0100L, 0x0102_0304_0506_0708L);
    p.add(0x4000_0108L, 0);
    p.add(0x4000_0110L, 0xffL);
    assertThat(p.drain())
        .containsExactly("wb 40000100 08070605040302010000000000000000ff00000000000000");
  }

  @Test
  void mixedRunsSplitAtZeroStretchesAndBlockLimits() {
    PendingWrites p = new PendingWrites();
    long base = 0x4800_0000L;
    int words = 0;
    for (int i = 0; i < 4; i++) {
      p.add(base + 8L * words++, 0);
    }
    for (int i = 0; i < PendingWrites.BLOCK_WORDS + 1; i++) {
      p.add(base + 8L * words++, 1);
    }
    List<String> lines = p.drain();
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0)).isEqualTo("fill 48000000 20 0");
    assertThat(lines.get(1)).startsWith("wb 48000020 0100000000000000").hasSize(12 + 16 * 128);
    assertThat(lines.get(2)).isEqualTo(String.format("w8 %x 1", base + 32 + 8L * 128));
  }

  @Test
  void onlyAdjacentAscendingWordsExtendARun() {
    PendingWrites p = new PendingWrites();
    p.add(0x1000, 5);
    assertThat(p.extendsRun(0x1008)).isTrue();
    assertThat(p.extendsRun(0x1000)).isFalse();
    assertThat(p.extendsRun(0x1010)).isFalse();
    assertThatThrownBy(() -> p.add(0x2000, 1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("0x2000");
  }
}
