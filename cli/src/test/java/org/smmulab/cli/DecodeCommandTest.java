package org.smmulab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code smmulab decode} against images whose fields are known from outside this project: the Linux
 * KUnit STE and CD images (kunit-vectors.json, fields as the KUnit builders set them) and the
 * command encodings of external-tests.md section 5.1; event records and descriptors built bit by
 * bit from the architecture's layouts. Any bit pattern decodes.
 */
class DecodeCommandTest {
  private static final JsonNode KUNIT = Vectors.load("kunit-vectors.json").get("entries");

  /** The fields of a decode, as {@code "Name=value"} strings in layout order. */
  private static String fields(String... args) {
    List<String> all = new ArrayList<>(List.of("decode"));
    all.addAll(List.of(args));
    all.add("--json");
    Cli r = Cli.run(all.toArray(String[]::new));
    assertThat(r.exitCode).as(r.err).isZero();
    assertThat(r.err).isEmpty();
    List<String> out = new ArrayList<>();
    r.json()
        .get("fields")
        .fields()
        .forEachRemaining(e -> out.add(e.getKey() + "=" + e.getValue().asText()));
    return String.join(" ", out);
  }

  private static String[] kunit(String entry) {
    List<String> q = new ArrayList<>();
    KUNIT.get(entry).get("qwords").forEach(n -> q.add(n.asText()));
    return q.toArray(String[]::new);
  }

  private static String[] prepend(String first, String[] rest) {
    String[] out = new String[rest.length + 1];
    out[0] = first;
    System.arraycopy(rest, 0, out, 1, rest.length);
    return out;
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "abort_ste | V=1",
        "bypass_ste | V=1 Config=bypass SHCFG=incoming",
        "cdtable_ssid0_ats | V=1 Config=s1-translate S1Fmt=2lvl-64k S1ContextPtr=0xf0f0f0f0f0c0"
            + " S1CDMax=31 S1DSS=ssid0 S1CIR=wbra S1COR=wbra S1CSH=ish S1STALLD=1 EATS=full",
        "cdtable_s1dssbypass_ats | V=1 Config=s1-translate S1Fmt=2lvl-64k"
            + " S1ContextPtr=0xf0f0f0f0f0c0 S1CDMax=31 S1DSS=bypass S1CIR=wbra S1COR=wbra S1CSH=ish"
            + " S1STALLD=1 EATS=full SHCFG=incoming",
        "s2_ats | V=1 Config=s2-translate EATS=full SHCFG=incoming S2T0SZ=4 S2SL0=3 S2IR0=wt"
            + " S2OR0=wbwa S2SH0=ish S2TG=16K S2PS=36-bit S2AA64=1 S2PTW=1 S2R=1"
            + " S2TTB=0xdbeefdeadbee0",
        "s2_stall | V=1 Config=s2-translate SHCFG=incoming S2T0SZ=4 S2SL0=3 S2IR0=wt S2OR0=wbwa"
            + " S2SH0=ish S2TG=16K S2PS=36-bit S2AA64=1 S2PTW=1 S2S=1 S2R=1"
            + " S2TTB=0xdbeefdeadbee0",
        "nested_s1dssbypass_ats | V=1 Config=nested S1Fmt=2lvl-64k S1ContextPtr=0xf0f0f0f0f0c0"
            + " S1CDMax=31 S1DSS=bypass S1CIR=wbra S1COR=wbra S1CSH=ish MEV=1 S1STALLD=1 EATS=full"
            + " SHCFG=incoming S2T0SZ=4 S2SL0=3 S2IR0=wt S2OR0=wbwa S2SH0=ish S2TG=16K S2PS=36-bit"
            + " S2AA64=1 S2PTW=1 S2R=1 S2TTB=0xdbeefdeadbee0"
      })
  void kunitStreamTableEntries(String entry, String expected) {
    assertThat(fields(prepend("ste", kunit(entry)))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "s1_cd_asid1997 | T0SZ=4 TG0=16K IR0=wt OR0=wbwa SH0=ish EPD1=1 V=1 IPS=36-bit AA64=1 R=1"
            + " A=1 ASET=1 ASID=1997 TTB0=0xdbeefdeadbee0 MAIR=0xabcdef012345678",
        "s1_cd_asid778 | T0SZ=4 TG0=16K IR0=wt OR0=wbwa SH0=ish EPD1=1 V=1 IPS=36-bit AA64=1 R=1"
            + " A=1 ASET=1 ASID=778 TTB0=0xdbeefdeadbee0 MAIR=0xabcdef012345678",
        "sva_release_cd_asid1997 | EPD0=1 EPD1=1 V=1 IPS=48-bit AA64=1 A=1 ASET=1 ASID=1997"
            + " MAIR=0x44ff04"
      })
  void kunitContextDescriptors(String entry, String expected) {
    assertThat(fields(prepend("cd", kunit(entry)))).isEqualTo(expected);
  }

  @Test
  void theAllZeroCdHasNoFields() {
    assertThat(fields(prepend("cd", kunit("cd_zero")))).isEmpty();
  }

  /** Section 5.1 of external-tests.md: each command's qwords and what the row says it encodes. */
  @ParameterizedTest(name = "{2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "0x0000000800000001 | 0 | Opcode=PREFETCH_CONFIG SID=8",
        "0x0000000800000003 | 0x1 | Opcode=CFGI_STE SID=8 Leaf=1",
        "0x0000000000000004 | 0x1f | Opcode=CFGI_STE_RANGE Range=31",
        "0x0000000800000005 | 0x1 | Opcode=CFGI_CD SID=8 Leaf=1",
        "0x0000009900005005 | 0 | Opcode=CFGI_CD SSID=5 SID=153",
        "0x07cd000000000011 | 0 | Opcode=TLBI_NH_ASID ASID=1997",
        "0x0000000300000010 | 0 | Opcode=TLBI_NH_ALL VMID=3",
        "0x0000000100000028 | 0 | Opcode=TLBI_S12_VMALL VMID=1",
        "0x0000000000000030 | 0 | Opcode=TLBI_NSNH_ALL",
        "0x030a000000000012 | 0x1701 | Opcode=TLBI_NH_VA ASID=778 Leaf=1 TTL=3 TG=4K Addr=0x1000",
        "0x030a00000010f012 | 0x701 | Opcode=TLBI_NH_VA NUM=15 SCALE=1 ASID=778 Leaf=1 TTL=3 TG=4K",
        "0x000000010000002a | 0x200601 | Opcode=TLBI_S2_IPA VMID=1 Leaf=1 TTL=2 TG=4K IPA=0x200000",
        "0x0000000800000040 | 0x34 | Opcode=ATC_INV SID=8 Size=52",
        "0x0000000800001840 | 0x8002 | Opcode=ATC_INV SSV=1 SSID=1 SID=8 Size=2 Addr=0x8000",
        "0x0000000800000040 | 0x4 | Opcode=ATC_INV SID=8 Size=4",
        "0x0000000800000041 | 0x5 | Opcode=PRI_RESP SID=8 PRGIndex=5",
        "0x0000000800001044 | 0x1234 | Opcode=RESUME Action=retry SID=8 STAG=4660",
        "0x000000000fc02046 | 0 | Opcode=CMD_SYNC CS=SIG_SEV MSH=ISH MSIAttr=Normal-OWB-IWB",
        "0x000000000fc01046 | 0x4e16b040 | Opcode=CMD_SYNC CS=SIG_IRQ MSH=ISH"
            + " MSIAttr=Normal-OWB-IWB MSIAddr=0x4e16b040"
      })
  void commandEncodings(String q0, String q1, String expected) {
    assertThat(fields("cmd", q0, q1)).isEqualTo(expected);
  }

  @Test
  void aTranslationFaultEventBuiltFromTheRecordLayout() {
    // EventID 0x10 in q0[7:0], SID 0x10 in q0[63:32]; RnW q1[35], CLASS=IN (2) q1[41:40];
    // InputAddr q2.
    assertThat(fields("event", "0x0000001000000010", "0x0000020800000000", "0x7000"))
        .isEqualTo("EventID=F_TRANSLATION SID=16 RnW=1 CLASS=IN InputAddr=0x7000");
  }

  @Test
  void descriptorsAtEachLevelAndStage() {
    // V, page, AP[1] (EL0), SH inner, AF, OA 0x80000000, UXN.
    assertThat(fields("pte", "0x0040000080000743"))
        .isEqualTo("V=1 T=1 AP1.EL0=1 SH=inner AF=1 OA=0x80000000 UXN=1");
    // Stage 2: S2AP read and write, SH inner, AF, XN = 0b10.
    assertThat(fields("pte", "--stage", "2", "0x00400000800007c3"))
        .isEqualTo("V=1 T=1 S2AP.R=1 S2AP.W=1 SH=inner AF=1 OA=0x80000000 XN=2");
    Cli block = Cli.run("decode", "pte", "--level", "2", "0x80000741", "--json");
    assertThat(block.json().get("type").asText()).isEqualTo("block");
    assertThat(block.json().get("address").asText()).isEqualTo("0x80000000");
    Cli table = Cli.run("decode", "pte", "--level", "1", "0x40003003", "--json");
    assertThat(table.json().get("type").asText()).isEqualTo("table");
    assertThat(table.json().get("address").asText()).isEqualTo("0x40003000");
    Cli reserved = Cli.run("decode", "pte", "--level", "3", "0x80000741", "--json");
    assertThat(reserved.json().get("type").asText())
        .as("bits [1:0] = 01 at level 3")
        .isEqualTo("reserved");
    assertThat(reserved.json().has("address")).isFalse();
    Cli big =
        Cli.run(
            "decode", "pte", "--granule", "64K", "--level", "3", "0x0000000080001003", "--json");
    assertThat(big.json().get("address").asText())
        .as("64K: address bits [51:48] live in descriptor bits [15:12]")
        .isEqualTo("0x1000080000000");
  }

  @Test
  void levelOneDescriptors() {
    assertThat(fields("l1std", "0x40001008")).isEqualTo("SPAN=8 L2Ptr=0x40001000");
    assertThat(fields("l1cd", "40002001")).isEqualTo("V=1 L2Ptr=0x40002000");
  }

  @Test
  void jsonHasTheKindQwordsDescriptionAndFields() {
    Cli r = Cli.run("decode", "ste", "0x9,0x0000100000000000", "--json");
    JsonNode root = r.json();
    assertThat(root.get("kind").asText()).isEqualTo("ste");
    assertThat(root.get("qwords")).hasSize(8);
    assertThat(root.get("qwords").get(1).asText()).isEqualTo("0x0000100000000000");
    assertThat(root.get("describe").asText()).isEqualTo("STE V=1 Config=bypass SHCFG=incoming");
    assertThat(root.get("fields").get("V").asInt()).isEqualTo(1);
    assertThat(root.get("fields").get("Config").asText()).isEqualTo("bypass");
  }

  @Test
  void textNamesEachFieldAndItsBits() {
    Cli r = Cli.run("decode", "cmd", "0x0000000800000003", "1");
    assertThat(r.exitCode).isZero();
    assertThat(r.out.lines())
        .containsExactly(
            "CFGI_STE SID=8 Leaf=1",
            "  q0=0x0000000800000003 q1=0x0000000000000001",
            "  Opcode           CFGI_STE             q0[7:0]",
            "  SID              8                    q0[63:32]",
            "  Leaf             1                    q1[0:0]");
    Cli partial = Cli.run("decode", "event", "0x10");
    assertThat(partial.out).contains("(q1..q3 were not given, taken as 0)");
  }

  @Test
  void strayBitsAreShownAsReserved() {
    assertThat(fields("cmd", "0xffffffffffffffff", "0x1"))
        .isEqualTo("Opcode=reserved(255) q0.reserved=0xffffffffffffff00 q1.reserved=0x1");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "nope 1 | KIND: 'nope' is not one of ste, cd, cmd, event, pte, l1std, l1cd",
        "cmd 1 2 3 | HEX: cmd has 2 qwords, got 3",
        "ste 1,xyz | HEX: qword 1 'xyz' is not hex",
        "l1cd 0x1ffffffffffffffff | HEX: qword 0 '0x1ffffffffffffffff' does not fit in 64 bits",
        "ste --stage 2 1 | --stage, --level and --granule apply to pte only",
        "pte --stage 3 1 | --stage: expected 1 or 2, got 3",
        "pte --level 4 1 | --level: expected 0..3, got 4",
        "pte --granule 8K 1 | --granule: expected 4K, 16K or 64K, got '8K'"
      })
  void badInputExitsTwoWithTheReason(String args, String message) {
    List<String> all = new ArrayList<>(List.of("decode"));
    all.addAll(List.of(args.split(" ")));
    Cli r = Cli.run(all.toArray(String[]::new));
    assertThat(r.exitCode).isEqualTo(2);
    assertThat(r.out).isEmpty();
    assertThat(r.errLines())
        .containsExactly("smmulab decode: " + message, "Try 'smmulab decode --help' for more.");
  }

  @Provide
  Arbitrary<String> kinds() {
    return Arbitraries.of("ste", "cd", "cmd", "event", "pte", "l1std", "l1cd");
  }

  @Property(seed = "20260501", tries = 400)
  void everyBitPatternDecodes(
      @ForAll("kinds") String kind,
      @ForAll long q0,
      @ForAll long q1,
      @ForAll long q2,
      @ForAll long q3,
      @ForAll("levels") int level) {
    int n =
        switch (kind) {
          case "ste", "cd", "event" -> 4;
          case "cmd" -> 2;
          default -> 1;
        };
    List<String> args = new ArrayList<>(List.of("decode", kind));
    long[] q = {q0, q1, q2, q3};
    for (int i = 0; i < n; i++) {
      args.add(Long.toHexString(q[i]));
    }
    if (kind.equals("pte")) {
      args.addAll(
          List.of("--level", Integer.toString(level), "--stage", level % 2 == 0 ? "1" : "2"));
    }
    args.add("--json");
    Cli r = Cli.run(args.toArray(String[]::new));
    assertThat(r.exitCode).as(r.err).isZero();
    JsonNode root = r.json();
    assertThat(root.get("describe").asText()).isNotBlank();
    int qwords =
        switch (kind) {
          case "ste", "cd" -> 8;
          case "event" -> 4;
          case "cmd" -> 2;
          default -> 1;
        };
    assertThat(root.get("qwords")).as("missing qwords are zero").hasSize(qwords);
  }

  @Provide
  Arbitrary<Integer> levels() {
    return Arbitraries.integers().between(0, 3);
  }
}
