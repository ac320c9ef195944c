package org.smmulab.arch.regs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class QueuePointerTest {
  @Test
  void fourEntryQueueCountsThroughBothWraps() {
    int[] expected = {0, 1, 2, 3, 4, 5, 6, 7, 0, 1};
    QueuePointer p = QueuePointer.zero(2);
    for (int value : expected) {
      assertThat(p.toRegister()).isEqualTo(value);
      assertThat(p.index()).isEqualTo(value & 3);
      assertThat(p.wrap()).isEqualTo(value >= 4);
      p = p.next();
    }
  }

  @Test
  void commandQueueConsumerWithAnError() {
    // 256-entry queue: CONS = ERR ill (1 << 24), wrap (bit 8), index 5.
    QueuePointer cons = QueuePointer.of(8, 0x0100_0105);
    assertThat(cons.index()).isEqualTo(5);
    assertThat(cons.wrap()).isTrue();
    assertThat(cons.wrapAndIndex()).isEqualTo(0x105);
    assertThat(cons.flags()).isEqualTo(0x0100_0000);
    assertThat(cons.next().toRegister()).isEqualTo(0x0100_0106);
    assertThat(cons.withFlags(0).toRegister()).isEqualTo(0x105);
    assertThat(cons.withFlags(0x8000_00ff).toRegister()).isEqualTo(0x8000_0105);
    assertThat(cons.toString()).isEqualTo("index=5 wrap=1 flags=0x1000000 of 2^8");
    assertThat(cons).isEqualTo(QueuePointer.of(8, 0x0100_0105)).isNotEqualTo(cons.next());
    assertThat(cons).isNotEqualTo(QueuePointer.of(9, 0x0100_0105));
  }

  @Test
  void eventQueueOverflowFlagSurvivesWrapping() {
    QueuePointer prod = QueuePointer.of(3, 0x8000_000f); // wrap 1, index 7, OVFLG
    QueuePointer after = prod.next();
    assertThat(after.toRegister()).isEqualTo(0x8000_0000);
    assertThat(after.wrap()).isFalse();
  }

  @Test
  void singleEntryQueueTogglesWrapOnEveryIncrement() {
    QueuePointer prod = QueuePointer.zero(0);
    QueuePointer cons = QueuePointer.zero(0);
    assertThat(QueuePointer.isEmpty(prod, cons)).isTrue();
    prod = prod.next();
    assertThat(prod.index()).isZero();
    assertThat(prod.wrap()).isTrue();
    assertThat(QueuePointer.isFull(prod, cons)).isTrue();
    assertThat(QueuePointer.entries(prod, cons)).isEqualTo(1);
    assertThat(QueuePointer.space(prod, cons)).isZero();
  }

  @Property(seed = "5150")
  void nIncrementsFromEmptyHoldNEntries(
      @ForAll @IntRange(min = 0, max = 12) int log2Size,
      @ForAll @IntRange(min = 0, max = 1 << 20) int start,
      @ForAll @IntRange(min = 0, max = 4096) int n) {
    QueuePointer cons = QueuePointer.zero(log2Size).advance(start);
    int size = 1 << log2Size;
    int produced = n % (size + 1);
    QueuePointer prod = cons.advance(produced);
    assertThat(QueuePointer.entries(prod, cons)).isEqualTo(produced);
    assertThat(QueuePointer.space(prod, cons)).isEqualTo(size - produced);
    assertThat(QueuePointer.isEmpty(prod, cons)).isEqualTo(produced == 0);
    assertThat(QueuePointer.isFull(prod, cons)).isEqualTo(produced == size);
  }

  @Property(seed = "5151")
  void fullAfterExactlySizeIncrements(
      @ForAll @IntRange(min = 0, max = 10) int log2Size, @ForAll int startRegister) {
    QueuePointer cons = QueuePointer.of(log2Size, startRegister);
    QueuePointer prod = cons;
    int size = 1 << log2Size;
    for (int i = 0; i < size; i++) {
      assertThat(QueuePointer.isFull(prod, cons)).as("after %d", i).isFalse();
      prod = prod.next();
    }
    assertThat(QueuePointer.isFull(prod, cons)).isTrue();
    assertThat(QueuePointer.isEmpty(prod, cons)).isFalse();
    assertThat(prod.index()).isEqualTo(cons.index());
    assertThat(prod.wrap()).isNotEqualTo(cons.wrap());
  }

  @Property(seed = "5152")
  void wrapTogglesEverySizeIncrementsAndFlagsNeverChange(
      @ForAll @IntRange(min = 0, max = 19) int log2Size,
      @ForAll int register,
      @ForAll @IntRange(min = 0, max = 64) int laps) {
    QueuePointer p = QueuePointer.of(log2Size, register);
    long size = 1L << log2Size;
    QueuePointer moved = p.advance(laps * size);
    assertThat(moved.index()).isEqualTo(p.index());
    assertThat(moved.wrap()).isEqualTo(p.wrap() ^ (laps % 2 == 1));
    assertThat(moved.flags()).isEqualTo(p.flags());
    assertThat(p.advance(2 * size)).isEqualTo(p);
  }

  @Property(seed = "5153")
  void advanceAddsUp(
      @ForAll @IntRange(min = 0, max = 19) int log2Size,
      @ForAll int register,
      @ForAll @IntRange(min = 0, max = 1 << 21) int a,
      @ForAll @IntRange(min = 0, max = 1 << 21) int b) {
    QueuePointer p = QueuePointer.of(log2Size, register);
    assertThat(p.advance(a).advance(b)).isEqualTo(p.advance((long) a + b));
    assertThat(p.advance(1)).isEqualTo(p.next());
    assertThat(p.advance(0)).isEqualTo(p);
    // The register value splits into flags, wrap and index without losing a bit.
    int rebuilt = p.flags() | (p.wrap() ? 1 << log2Size : 0) | p.index();
    assertThat(rebuilt).isEqualTo(register);
  }

  @Property(seed = "5154")
  void entriesIsTheDistanceTheConsumerMustTravel(
      @ForAll @IntRange(min = 0, max = 19) int log2Size,
      @ForAll int prodRegister,
      @ForAll int consRegister) {
    QueuePointer prod = QueuePointer.of(log2Size, prodRegister);
    QueuePointer cons = QueuePointer.of(log2Size, consRegister);
    int entries = QueuePointer.entries(prod, cons);
    assertThat(entries).isBetween(0, 2 * prod.size() - 1);
    assertThat(cons.advance(entries).wrapAndIndex()).isEqualTo(prod.wrapAndIndex());
    if (QueuePointer.isConsistent(prod, cons)) {
      assertThat(entries + QueuePointer.space(prod, cons)).isEqualTo(prod.size());
    } else {
      assertThat(entries).isGreaterThan(prod.size());
      assertThat(QueuePointer.space(prod, cons)).isZero();
    }
  }

  @Test
  void producerBehindConsumerIsInconsistent() {
    // 8 entries: CONS at index 5, PROD at index 2 with the same wrap: PROD is 5 entries behind.
    QueuePointer cons = QueuePointer.of(3, 5);
    QueuePointer prod = QueuePointer.of(3, 2);
    assertThat(QueuePointer.isConsistent(prod, cons)).isFalse();
    assertThat(QueuePointer.entries(prod, cons)).isEqualTo(13);
    assertThat(QueuePointer.space(prod, cons)).isZero();
    // With different wraps the same indexes are a consistent queue of 5 entries.
    QueuePointer wrapped = QueuePointer.of(3, 8 | 2);
    assertThat(QueuePointer.isConsistent(wrapped, cons)).isTrue();
    assertThat(QueuePointer.entries(wrapped, cons)).isEqualTo(5);
    assertThat(QueuePointer.space(wrapped, cons)).isEqualTo(3);
  }

  @Test
  void badArgumentsAreRejectedWithAReason() {
    assertThatThrownBy(() -> QueuePointer.of(20, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0..19")
        .hasMessageContaining("20");
    assertThatThrownBy(() -> QueuePointer.zero(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> QueuePointer.zero(4).advance(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-1");
    assertThatThrownBy(() -> QueuePointer.entries(QueuePointer.zero(4), QueuePointer.zero(5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2^4")
        .hasMessageContaining("2^5");
  }
}
