package org.smmulab.driver.tlbi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.smmulab.arch.cmd.CommandBatch;

/** ATC_INV rows of external-tests.md 5.1 (the driver comment's worked span examples). */
class AtcInvalidationTest {
  @Test
  void pagesEightToElevenAreOneAlignedBlockOfFour() {
    assertThat(AtcInvalidation.command(8, 1, 0x8000, 0x4000).toQwords())
        .containsExactly(0x0000000800001840L, 0x0000000000008002L);
  }

  @Test
  void pagesSevenToTenNeedSixteenPagesFromZero() {
    assertThat(AtcInvalidation.command(8, 0, 0x7000, 0x4000).toQwords())
        .containsExactly(0x0000000800000040L, 0x0000000000000004L);
  }

  @Test
  void sizeZeroIsTheWholeAtc() {
    assertThat(AtcInvalidation.command(8, 0, 0x1234_5000, 0).toQwords())
        .containsExactly(0x0000000800000040L, 0x0000000000000034L);
    assertThat(AtcInvalidation.all(8).toQwords())
        .containsExactly(0x0000000800000040L, 0x0000000000000034L);
    assertThat(AtcInvalidation.command(8, 0, 0, -1L).toQwords())
        .containsExactly(0x0000000800000040L, 0x0000000000000034L);
  }

  @Test
  void unalignedBytesWithinOnePageAreThatPage() {
    assertThat(AtcInvalidation.command(2, 5, 0x1_2345, 0x10).toQwords())
        .containsExactly(0x0000000200005840L, 0x0000000000012000L);
  }

  @Test
  void refusesRangesPastTheTop() {
    assertThatThrownBy(() -> AtcInvalidation.command(1, 0, -0x1000, 0x2000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("end of the address space");
    assertThat(AtcInvalidation.command(1, 0, -0x1000L, 0x1000).address()).isEqualTo(-0x1000L);
  }

  @Test
  void aRangePastTheTopAppendsNothingToABatch() {
    CommandBatch batch = new CommandBatch();
    assertThatThrownBy(() -> AtcInvalidation.appendTo(batch, 1, 0, -0x1000, 0x2000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("end of the address space");
    assertThat(batch.isEmpty()).isTrue();
  }
}
