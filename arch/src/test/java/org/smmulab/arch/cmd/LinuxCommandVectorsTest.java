package org.smmulab.arch.cmd;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.smmulab.arch.pte.Granule;

/**
 * The command encodings of external-tests.md §5.1 (derived from the Linux driver's field macros):
 * every row built with the factories must equal the listed qwords exactly, and decoding those
 * qwords must give back an equal command.
 */
class LinuxCommandVectorsTest {
  static Stream<Arguments> rows() {
    return Stream.of(
        row("PREFETCH_CFG sid=8", () -> Command.prefetchConfig(8), 0x0000000800000001L, 0L),
        row(
            "CFGI_STE sid=8 leaf=1",
            () -> Command.cfgiSte(8, true),
            0x0000000800000003L,
            0x0000000000000001L),
        row("CFGI_ALL (range=31)", Command::cfgiAll, 0x0000000000000004L, 0x000000000000001fL),
        row(
            "CFGI_CD sid=8 ssid=0 leaf=1",
            () -> Command.cfgiCd(8, 0, true),
            0x0000000800000005L,
            0x0000000000000001L),
        row(
            "CFGI_CD sid=0x99 ssid=5 leaf=0",
            () -> Command.cfgiCd(0x99, 5, false),
            0x0000009900005005L,
            0L),
        row("TLBI_NH_ASID asid=1997", () -> Command.tlbiNhAsid(0, 1997), 0x07cd000000000011L, 0L),
        row("TLBI_NH_ALL vmid=3", () -> Command.tlbiNhAll(3), 0x0000000300000010L, 0L),
        row("TLBI_S12_VMALL vmid=1", () -> Command.tlbiS12Vmall(1), 0x0000000100000028L, 0L),
        row("TLBI_NSNH_ALL", Command::tlbiNsnhAll, 0x0000000000000030L, 0L),
        row(
            "TLBI_NH_VA asid=778 va=0x1000 leaf TG=4K TTL=3 NUM=0 SCALE=0",
            () -> Command.tlbiNhVa(0, 778, TlbiRange.of(0x1000, Granule.SIZE_4K, 0, 0, 3, true)),
            0x030a000000000012L,
            0x0000000000001701L),
        row(
            "TLBI_NH_VA asid=778 va=0 TG=4K NUM=15 SCALE=1 leaf TTL=3",
            () -> Command.tlbiNhVa(0, 778, TlbiRange.of(0, Granule.SIZE_4K, 15, 1, 3, true)),
            0x030a00000010f012L,
            0x0000000000000701L),
        row(
            "TLBI_S2_IPA vmid=1 ipa=0x200000 leaf TG=4K TTL=2",
            () -> Command.tlbiS2Ipa(1, TlbiRange.of(0x200000, Granule.SIZE_4K, 0, 0, 2, true)),
            0x000000010000002aL,
            0x0000000000200601L),
        row(
            "ATC_INV sid=8 no PASID, whole ATC",
            () -> Command.atcInv(8, 0, 0, Command.ATC_SIZE_ALL, false),
            0x0000000800000040L,
            0x0000000000000034L),
        row(
            "ATC_INV sid=8 ssid=1 pages 8..11",
            () -> Command.atcInv(8, 1, 0x8000, 2, false),
            0x0000000800001840L,
            0x0000000000008002L),
        row(
            "ATC_INV sid=8 pages 7..10 -> 0..15",
            () -> Command.atcInv(8, 0, 0, 4, false),
            0x0000000800000040L,
            0x0000000000000004L),
        row(
            "PRI_RESP sid=8 grpid=5 DENY",
            () -> Command.priResp(8, false, 0, 5, Command.PRI_DENY),
            0x0000000800000041L,
            0x0000000000000005L),
        row(
            "RESUME sid=8 stag=0x1234 RETRY",
            () -> Command.resume(8, 0x1234, Command.RESUME_RETRY),
            0x0000000800001044L,
            0x0000000000001234L),
        row(
            "CMD_SYNC CS=SEV MSH=ISH MSIATTR=OIWB",
            () -> Command.cmdSync(Command.CS_SEV, Command.SH_ISH, Command.MEMATTR_OIWB, 0, 0),
            0x000000000fc02046L,
            0L),
        row(
            "CMD_SYNC CS=IRQ, MSI address 0x4e16b040",
            () ->
                Command.cmdSync(
                    Command.CS_IRQ, Command.SH_ISH, Command.MEMATTR_OIWB, 0, 0x4e16b040L),
            0x000000000fc01046L,
            0x000000004e16b040L));
  }

  private static Arguments row(String name, Supplier<Command> build, long q0, long q1) {
    return Arguments.of(name, build, q0, q1);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void factoryEncodesTheLinuxVectorExactly(String name, Supplier<Command> build, long q0, long q1) {
    Command built = build.get();
    assertThat(built.toQwords()).as(name).containsExactly(q0, q1);
    assertThat(Command.decode(q0, q1)).isEqualTo(built);
    assertThat(built.isArchitected()).isTrue();
    assertThat(built.describe()).doesNotContain("reserved");
  }
}
