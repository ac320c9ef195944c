package org.smmulab.driver.tlbi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.smmulab.arch.cmd.Command;
import org.smmulab.arch.cmd.CommandBatch;
import org.smmulab.arch.cmd.Opcode;

/** The worked examples of the range builder and the size limit, and the inputs it refuses. */
class TlbiRangeBuilderTest {
  private static final long K4 = 0x1000;
  private static final long M2 = 0x20_0000;
  private static final long G1 = 0x4000_0000;
  private static final TlbiBase ASID_778 = TlbiBase.nhVa(0, 778);
  private static final TlbiRangeBuilder RIL = new TlbiRangeBuilder(true);
  private static final TlbiRangeBuilder NO_RIL = new TlbiRangeBuilder(false);

  /** (NUM field, SCALE, TTL, TG, leaf, address) of each command. */
  private static List<String> shape(List<Command> commands) {
    return commands.stream()
        .map(
            c -> {
              Command d = Command.decode(c.qword(0), c.qword(1));
              return String.format(
                  "num=%d scale=%d ttl=%d tg=%d leaf=%b addr=0x%x",
                  d.num(), d.scale(), d.ttl(), d.tg(), d.leaf(), d.address());
            })
        .toList();
  }

  @Test
  void thirtyFivePagesAreThreeThenThirtyTwo() {
    List<Command> cmds = RIL.commands(ASID_778, 0x40_0000, 35 * K4, K4, 12, true);
    assertThat(shape(cmds))
        .containsExactly(
            "num=2 scale=0 ttl=3 tg=1 leaf=true addr=0x400000",
            "num=0 scale=5 ttl=3 tg=1 leaf=true addr=0x403000");
  }

  @Test
  void sixtyFiveLeafPagesAreOneThenSixtyFour() {
    List<Command> cmds = RIL.commands(ASID_778, 0, 65 * K4, K4, 12, true);
    assertThat(shape(cmds))
        .containsExactly(
            "num=0 scale=0 ttl=3 tg=1 leaf=true addr=0x0",
            "num=0 scale=6 ttl=3 tg=1 leaf=true addr=0x1000");
  }

  @Test
  void sixtyFiveNonLeafPagesGrowByOnePage() {
    List<Command> cmds = RIL.commands(ASID_778, 0, 65 * K4, K4, 12, false);
    assertThat(shape(cmds))
        .containsExactly(
            "num=0 scale=1 ttl=0 tg=1 leaf=false addr=0x0",
            "num=0 scale=6 ttl=0 tg=1 leaf=false addr=0x2000");
  }

  @Test
  void nonLeafSinglePageBecomesTwoPages() {
    List<Command> cmds = RIL.commands(ASID_778, 0x5000, K4, K4, 12, false);
    assertThat(shape(cmds)).containsExactly("num=0 scale=1 ttl=0 tg=1 leaf=false addr=0x5000");
    List<Command> sixteenK = RIL.commands(ASID_778, 0x8000, 33 * 0x4000, 0x4000, 14, false);
    assertThat(shape(sixteenK)).containsExactly("num=16 scale=1 ttl=0 tg=2 leaf=false addr=0x8000");
  }

  @Test
  void leafLevelHintFollowsTheGranule() {
    assertThat(shape(RIL.commands(ASID_778, 0x3000, K4, K4, 12, true)))
        .containsExactly("num=0 scale=0 ttl=3 tg=1 leaf=true addr=0x3000");
    assertThat(shape(RIL.commands(ASID_778, M2, M2, M2, 12, true)))
        .containsExactly("num=0 scale=9 ttl=2 tg=1 leaf=true addr=0x200000");
    assertThat(shape(RIL.commands(ASID_778, G1, G1, G1, 12, true)))
        .containsExactly("num=0 scale=18 ttl=1 tg=1 leaf=true addr=0x40000000");
    assertThat(shape(RIL.commands(ASID_778, 0x200_0000, 0x200_0000, 0x200_0000, 14, true)))
        .containsExactly("num=0 scale=11 ttl=2 tg=2 leaf=true addr=0x2000000");
    assertThat(shape(RIL.commands(ASID_778, 0x2000_0000, 0x2000_0000, 0x2000_0000, 16, true)))
        .containsExactly("num=0 scale=13 ttl=2 tg=3 leaf=true addr=0x20000000");
  }

  @Test
  void singlePageMatchesTheLinuxReferenceImage() {
    // external-tests.md 5.1: TLBI_NH_VA asid=778 va=0x1000 leaf TG=4K TTL=3 NUM=0 SCALE=0
    Command c = RIL.commands(ASID_778, 0x1000, K4, K4, 12, true).get(0);
    assertThat(c.toQwords()).containsExactly(0x030a000000000012L, 0x0000000000001701L);
  }

  @Test
  void stageTwoBlockEncodesAllFields() {
    // 512 pages of 4K: SCALE 9 at q0[24:20], VMID 1 at q0[47:32]; IPA, TG 1, TTL 2, Leaf in q1
    Command c = RIL.commands(TlbiBase.s2Ipa(1), M2, M2, M2, 12, true).get(0);
    assertThat(c.toQwords()).containsExactly(0x000000010090002aL, 0x0000000000200601L);
  }

  @Test
  void withoutRangeSupportOneSingleAddressCommandPerGranule() {
    assertThat(shape(NO_RIL.commands(ASID_778, 0x10000, 3 * K4, K4, 12, true)))
        .containsExactly(
            "num=0 scale=0 ttl=0 tg=0 leaf=true addr=0x10000",
            "num=0 scale=0 ttl=0 tg=0 leaf=true addr=0x11000",
            "num=0 scale=0 ttl=0 tg=0 leaf=true addr=0x12000");
    assertThat(shape(NO_RIL.commands(TlbiBase.s2Ipa(7), 2 * M2, 2 * M2, M2, 12, false)))
        .containsExactly(
            "num=0 scale=0 ttl=0 tg=0 leaf=false addr=0x400000",
            "num=0 scale=0 ttl=0 tg=0 leaf=false addr=0x600000");
  }

  @Test
  void everyAddressFormCarriesItsTags() {
    assertThat(NO_RIL.commands(TlbiBase.nhVa(3, 9), 0, K4, K4, 12, true).get(0).toQwords())
        .containsExactly(0x0009000300000012L, 1L);
    assertThat(
            NO_RIL
                .commands(new TlbiBase(Opcode.TLBI_NH_VAA, 3, 9), 0, K4, K4, 12, true)
                .get(0)
                .toQwords())
        .containsExactly(0x0000000300000013L, 1L);
    assertThat(NO_RIL.commands(TlbiBase.el2Va(9), 0, K4, K4, 12, true).get(0).toQwords())
        .containsExactly(0x0009000000000022L, 1L);
  }

  @Test
  void sizeTooBigThresholds() {
    assertThat(TlbiRangeBuilder.sizeTooBig(false, M2 - K4, K4)).isFalse();
    assertThat(TlbiRangeBuilder.sizeTooBig(false, M2, K4)).isTrue();
    assertThat(TlbiRangeBuilder.sizeTooBig(false, 0x200_0000 - 0x4000, 0x4000)).isFalse();
    assertThat(TlbiRangeBuilder.sizeTooBig(false, 0x200_0000, 0x4000)).isTrue();
    assertThat(TlbiRangeBuilder.sizeTooBig(false, 0x2000_0000 - 0x1_0000, 0x1_0000)).isFalse();
    assertThat(TlbiRangeBuilder.sizeTooBig(false, 0x2000_0000, 0x1_0000)).isTrue();
    assertThat(TlbiRangeBuilder.sizeTooBig(false, 1L << 39, M2)).isTrue();
    assertThat(TlbiRangeBuilder.sizeTooBig(false, (1L << 39) - M2, M2)).isFalse();
    assertThat(TlbiRangeBuilder.sizeTooBig(false, 1L << 62, 1L << 42)).isFalse();
    assertThat(TlbiRangeBuilder.sizeTooBig(true, 1L << 40, K4)).isFalse();
    for (boolean ril : new boolean[] {false, true}) {
      assertThat(TlbiRangeBuilder.sizeTooBig(ril, 0, K4)).as("size 0").isTrue();
      assertThat(TlbiRangeBuilder.sizeTooBig(ril, -1L, K4)).as("size all ones").isTrue();
    }
    assertThat(NO_RIL.sizeTooBig(M2, K4)).isTrue();
    assertThat(RIL.sizeTooBig(M2, K4)).isFalse();
  }

  @Test
  void refusesBadInput() {
    assertThatThrownBy(() -> RIL.commands(ASID_778, 0, K4, K4, 13, true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tg 13");
    assertThatThrownBy(() -> RIL.commands(ASID_778, 0x800, K4, K4, 12, true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("multiples of 0x1000");
    assertThatThrownBy(() -> RIL.commands(ASID_778, 0, 0, K4, 12, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("non-zero");
    assertThatThrownBy(() -> RIL.commands(ASID_778, K4, M2, M2, 12, true))
        .as("leaf blocks must start on a block boundary (TTL alignment)")
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("multiples of 0x200000");
    assertThatThrownBy(() -> RIL.commands(ASID_778, 0, 0x4000, 0x2000, 12, true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not the entry size");
    assertThatThrownBy(() -> RIL.commands(ASID_778, 0, 1L << 36, 1L << 36, 14, true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("TTL 1 is reserved");
    assertThatThrownBy(() -> RIL.commands(ASID_778, 0, K4, 0x3000, 12, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("power of two");
    assertThatThrownBy(() -> RIL.commands(ASID_778, -K4, 2 * K4, K4, 12, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("end of the address space");
    assertThatThrownBy(() -> RIL.commands(ASID_778, 0, 1L << 44, K4, 12, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("SCALE 32");
    assertThatThrownBy(() -> RIL.commands(TlbiBase.s2Ipa(1), 1L << 52, K4, K4, 12, true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not fit");
    assertThatThrownBy(() -> new TlbiBase(Opcode.TLBI_NH_ALL, 1, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not an address-based TLBI");
    assertThatThrownBy(() -> TlbiBase.nhVa(0x1_0000, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("16 bits");
  }

  @Test
  void aFailedPlanIsEmptySaysWhyAndNeverThrows() {
    TlbiRangePlan plan = new TlbiRangePlan();
    assertThat(plan.plan(true, 0, 35 * K4, K4, 12, true)).isTrue();
    assertThat(plan.size()).isEqualTo(2);
    assertThat(plan.failure()).isNull();

    assertThat(plan.plan(true, 0, 1L << 36, 1L << 36, 14, true)).isFalse();
    assertThat(plan.size()).isZero();
    assertThat(plan.failure()).contains("TTL 1 is reserved");
    assertThat(plan.plan(true, 0, K4, K4, 13, true)).isFalse();
    assertThat(plan.failure()).contains("tg 13");
    assertThat(plan.plan(false, 0, K4, 0x3000, 12, false)).isFalse();
    assertThat(plan.failure()).contains("power of two");
    assertThat(plan.plan(true, -K4, 2 * K4, K4, 12, false)).isFalse();
    assertThat(plan.failure()).contains("end of the address space");
    assertThat(plan.plan(true, 0, 1L << 44, K4, 12, false)).isFalse();
    assertThat(plan.failure()).contains("SCALE 32");
    assertThat(plan.size()).isZero();
  }

  @Test
  void anAddressBeyondTheIpaFieldIsRefusedForStageTwoOnly() {
    TlbiRangePlan plan = new TlbiRangePlan();
    assertThat(plan.plan(true, 1L << 52, K4, K4, 12, true)).isTrue();
    assertThat(plan.fits(Opcode.TLBI_S2_IPA)).isFalse();
    CommandBatch out = new CommandBatch();
    assertThat(plan.appendTo(Opcode.TLBI_S2_IPA, 1, 0, out)).isFalse();
    assertThat(out.isEmpty()).isTrue();
    assertThat(plan.appendTo(Opcode.TLBI_NH_VA, 0, 5, out)).isTrue();
    assertThat(out.toList())
        .singleElement()
        .satisfies(c -> assertThat(c.address()).isEqualTo(1L << 52));
    assertThatThrownBy(() -> plan.appendTo(Opcode.TLBI_NH_ASID, 0, 5, out))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not an address-based TLBI");
  }

  @Test
  void wholeTagCommandsRefuseAddressForms() {
    assertThat(TagInvalidation.isWholeTagOpcode(Opcode.TLBI_S12_VMALL)).isTrue();
    assertThat(TagInvalidation.isWholeTagOpcode(Opcode.TLBI_NH_VA)).isFalse();
    assertThatThrownBy(() -> TagInvalidation.command(Opcode.TLBI_NH_VA, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a whole-tag invalidation");
  }
}
