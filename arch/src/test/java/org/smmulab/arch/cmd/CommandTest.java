package org.smmulab.arch.cmd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.smmulab.arch.pte.Granule;

class CommandTest {

  /** Each opcode's value and field positions as smmuv3-hw-model.md §3 lists them. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "PREFETCH_CONFIG|0x01|SSec=q0[10:10] SSV=q0[11:11] SSID=q0[31:12] SID=q0[63:32]",
        "PREFETCH_ADDR|0x02|SSec=q0[10:10] SSV=q0[11:11] SSID=q0[31:12] SID=q0[63:32]"
            + " Size=q1[4:0] Addr=q1[63:12]",
        "CFGI_STE|0x03|SSec=q0[10:10] SID=q0[63:32] Leaf=q1[0:0]",
        "CFGI_STE_RANGE|0x04|SSec=q0[10:10] SID=q0[63:32] Range=q1[4:0]",
        "CFGI_CD|0x05|SSec=q0[10:10] SSID=q0[31:12] SID=q0[63:32] Leaf=q1[0:0]",
        "CFGI_CD_ALL|0x06|SSec=q0[10:10] SID=q0[63:32]",
        "TLBI_NH_ALL|0x10|VMID=q0[47:32]",
        "TLBI_NH_ASID|0x11|VMID=q0[47:32] ASID=q0[63:48]",
        "TLBI_NH_VA|0x12|NUM=q0[16:12] SCALE=q0[24:20] VMID=q0[47:32] ASID=q0[63:48]"
            + " Leaf=q1[0:0] TTL=q1[9:8] TG=q1[11:10] Addr=q1[63:12]",
        "TLBI_NH_VAA|0x13|NUM=q0[16:12] SCALE=q0[24:20] VMID=q0[47:32]"
            + " Leaf=q1[0:0] TTL=q1[9:8] TG=q1[11:10] Addr=q1[63:12]",
        "TLBI_EL3_ALL|0x18|",
        "TLBI_EL3_VA|0x1a|NUM=q0[16:12] SCALE=q0[24:20]"
            + " Leaf=q1[0:0] TTL=q1[9:8] TG=q1[11:10] Addr=q1[63:12]",
        "TLBI_EL2_ALL|0x20|",
        "TLBI_EL2_ASID|0x21|ASID=q0[63:48]",
        "TLBI_EL2_VA|0x22|NUM=q0[16:12] SCALE=q0[24:20] ASID=q0[63:48]"
            + " Leaf=q1[0:0] TTL=q1[9:8] TG=q1[11:10] Addr=q1[63:12]",
        "TLBI_EL2_VAA|0x23|NUM=q0[16:12] SCALE=q0[24:20]"
            + " Leaf=q1[0:0] TTL=q1[9:8] TG=q1[11:10] Addr=q1[63:12]",
        "TLBI_S12_VMALL|0x28|VMID=q0[47:32]",
        "TLBI_S2_IPA|0x2a|NUM=q0[16:12] SCALE=q0[24:20] VMID=q0[47:32]"
            + " Leaf=q1[0:0] TTL=q1[9:8] TG=q1[11:10] IPA=q1[51:12]",
        "TLBI_NSNH_ALL|0x30|",
        "ATC_INV|0x40|Global=q0[9:9] SSV=q0[11:11] SSID=q0[31:12] SID=q0[63:32]"
            + " Size=q1[5:0] Addr=q1[63:12]",
        "PRI_RESP|0x41|SSV=q0[11:11] SSID=q0[31:12] SID=q0[63:32] PRGIndex=q1[8:0]"
            + " Resp=q1[13:12]",
        "RESUME|0x44|SSec=q0[10:10] Action=q0[13:12] SID=q0[63:32] STAG=q1[15:0]",
        "STALL_TERM|0x45|SSec=q0[10:10] SID=q0[63:32]",
        "CMD_SYNC|0x46|CS=q0[13:12] MSH=q0[23:22] MSIAttr=q0[27:24] MSIData=q0[63:32]"
            + " MSIAddr=q1[51:2]",
      })
  void layoutMatchesTheSpecTable(String name, String value, String fields) {
    Opcode opcode = Opcode.fromName(name);
    assertThat(opcode).isNotNull();
    assertThat(opcode.value()).isEqualTo(Integer.decode(value));
    assertThat(Opcode.fromValue(Integer.decode(value))).isSameAs(opcode);
    assertThat(opcode.layout().name()).isEqualTo(name);
    assertThat(opcode.layout().fields().get(0)).isSameAs(Opcode.FIELD);
    String actual =
        opcode.layout().fields().stream()
            .skip(1)
            .map(Object::toString)
            .collect(Collectors.joining(" "));
    assertThat(actual).isEqualTo(fields == null ? "" : fields);
  }

  @Test
  void everyArchitectedOpcodeIsListedOnce() {
    assertThat(Opcode.values()).hasSize(24);
    int reserved = 0;
    for (int v = 0; v < 256; v++) {
      if (Opcode.fromValue(v) == null) {
        reserved++;
      }
    }
    assertThat(reserved).isEqualTo(256 - 24);
  }

  @Test
  void unknownOpcodesDescribeAsReservedInHex() {
    for (int v = 0; v < 256; v++) {
      if (Opcode.fromValue(v) != null) {
        continue;
      }
      Command c = Command.decode(v, 0);
      assertThat(c.isArchitected()).isFalse();
      assertThat(c.opcode()).isNull();
      assertThat(c.describe()).isEqualTo(String.format("reserved(0x%02x)", v));
      if (v != 0) {
        assertThat(c.fields()).containsExactly(Map.entry("Opcode", "reserved(" + v + ")"));
      }
    }
    assertThat(Command.decode(0x0000_0100_0000_0007L, 1).describe())
        .isEqualTo("reserved(0x07) q0.reserved=0x10000000000 q1.reserved=0x1");
    // QEMU's internal number for CFGI_ALL is not an architected opcode.
    assertThat(Command.decode(0x07, 0x1f).isArchitected()).isFalse();
  }

  @Test
  void unknownOpcodeHasNoTypedFields() {
    Command c = Command.decode(0xFF, 0);
    assertThatThrownBy(c::sid)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("reserved(0xff) has no field SID");
  }

  @Test
  void strayBitsOfAnArchitectedCommandShowAsReserved() {
    assertThat(Command.decode(0x0000_0008_0000_0003L, 0x3).describe())
        .isEqualTo("CFGI_STE SID=8 Leaf=1 q1.reserved=0x2");
    // Bit 25 lies outside SCALE[24:20].
    assertThat(Command.decode(0x0000_0000_0210_0012L, 0).describe())
        .isEqualTo("TLBI_NH_VA SCALE=1 q0.reserved=0x2000000");
    // CFGI_CD has no SSV; PRI_RESP and ATC_INV have no SSec.
    assertThat(Command.decode(0x0000_0000_0000_0805L, 0).describe())
        .isEqualTo("CFGI_CD q0.reserved=0x800");
    assertThat(Command.decode(0x0000_0000_0000_0440L, 0).describe())
        .isEqualTo("ATC_INV q0.reserved=0x400");
  }

  @Test
  void describeNamesEncodings() {
    assertThat(Command.decode(0x000000000fc02046L, 0).describe())
        .isEqualTo("CMD_SYNC CS=SIG_SEV MSH=ISH MSIAttr=Normal-OWB-IWB");
    assertThat(Command.decode(0x030a00000010f012L, 0x0000000000000701L).describe())
        .isEqualTo("TLBI_NH_VA NUM=0xf SCALE=1 ASID=0x30a Leaf=1 TTL=3 TG=4K");
    assertThat(Command.decode(0x0000000800001044L, 0x1234).describe())
        .isEqualTo("RESUME Action=retry SID=8 STAG=0x1234");
    assertThat(Command.decode(0x0000000800000041L, 0x2005).describe())
        .isEqualTo("PRI_RESP SID=8 PRGIndex=5 Resp=success");
    assertThat(Command.tlbiNsnhAll().describe()).isEqualTo("TLBI_NSNH_ALL");
    assertThat(Command.cmdSync(3, 1, 0x4, 0, 0).describe())
        .isEqualTo("CMD_SYNC CS=reserved(3) MSH=reserved(1) MSIAttr=reserved(4)");
  }

  @Test
  void gettersReadTheVectors() {
    Command va = Command.decode(0x030a00000010f012L, 0x0000000000000701L);
    assertThat(va.opcode()).isEqualTo(Opcode.TLBI_NH_VA);
    assertThat(va.asid()).isEqualTo(778);
    assertThat(va.vmid()).isZero();
    assertThat(va.tlbiRange()).isEqualTo(new TlbiRange(0, 15, 1, 1, 3, true));
    assertThat(va.tlbiRange().pages()).isEqualTo(32);
    assertThat(va.tlbiRange().granule()).isEqualTo(Granule.SIZE_4K);

    Command ipa = Command.decode(0x000000010000002aL, 0x0000000000200601L);
    assertThat(ipa.address()).isEqualTo(0x200000);
    assertThat(ipa.ttl()).isEqualTo(2);
    assertThat(ipa.leaf()).isTrue();

    Command sync = Command.decode(0x1234_5678_0fc0_1046L, 0xFFFF_0000_4e16_b043L);
    assertThat(sync.cs()).isEqualTo(Command.CS_IRQ);
    assertThat(sync.msh()).isEqualTo(Command.SH_ISH);
    assertThat(sync.msiAttr()).isEqualTo(Command.MEMATTR_OIWB);
    assertThat(sync.msiData()).isEqualTo(0x1234_5678);
    // MSIAddr is bits [51:2]: bits 63:52 and 1:0 of q1 are reserved.
    assertThat(sync.msiAddress()).isEqualTo(0x000F_0000_4e16_b040L);
    assertThat(sync.describe()).endsWith("q1.reserved=0xfff0000000000003");

    Command atc = Command.decode(0x0000000800001840L, 0x0000000000008002L);
    assertThat(atc.ssv()).isTrue();
    assertThat(atc.ssid()).isEqualTo(1);
    assertThat(atc.sid()).isEqualTo(8);
    assertThat(atc.size()).isEqualTo(2);
    assertThat(atc.address()).isEqualTo(0x8000);
    assertThat(atc.global()).isFalse();

    assertThat(Command.cfgiAll().isCfgiAll()).isTrue();
    assertThat(Command.cfgiSteRange(0, 30).isCfgiAll()).isFalse();
    assertThat(Command.cfgiSteRange(0x40, 5).range()).isEqualTo(5);
    assertThat(Command.decode(0xFFFF_FFFF_0000_0003L, 0).sid()).isEqualTo(-1);
    assertThat(Command.resume(3, 0xBEEF, Command.RESUME_ABORT).resumeAction())
        .isEqualTo(Command.RESUME_ABORT);
    assertThat(Command.priResp(1, true, 9, 0x1FF, Command.PRI_FAIL).prgIndex()).isEqualTo(0x1FF);
    assertThat(Command.prefetchAddr(2, true, 3, 0x7000, 4).size()).isEqualTo(4);
  }

  @Test
  void factoriesTruncateAsFieldPrepDoes() {
    Command c = Command.tlbiNhVa(0x1_0005, 0x1_0007, new TlbiRange(0x1FFF, 33, 32, 5, 6, false));
    assertThat(c.vmid()).isEqualTo(5);
    assertThat(c.asid()).isEqualTo(7);
    assertThat(c.num()).isEqualTo(1);
    assertThat(c.scale()).isZero();
    assertThat(c.tg()).isEqualTo(1);
    assertThat(c.ttl()).isEqualTo(2);
    assertThat(c.address()).isEqualTo(0x1000);
    assertThat(c.qword(0) & (1L << 25)).isZero();
    assertThat(Command.tlbiS2Ipa(1, TlbiRange.single(0xFFF0_0000_0000_1000L, true)).address())
        .isEqualTo(0x0000_0000_0000_1000L);
  }

  @Test
  void gettersOfAbsentFieldsThrowNamingTheCommand() {
    assertThatThrownBy(() -> Command.tlbiNhAll(1).sid())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("TLBI_NH_ALL has no field SID");
    assertThatThrownBy(() -> Command.cfgiCd(1, 2, true).ssv())
        .hasMessage("CFGI_CD has no field SSV");
    assertThatThrownBy(() -> Command.tlbiEl2Asid(1).vmid())
        .hasMessage("TLBI_EL2_ASID has no field VMID");
  }

  @Test
  void checkedBuilderRejectsValuesTooWideNamingTheField() {
    assertThatThrownBy(
            () -> Command.builder(Opcode.TLBI_NH_VA).checked().set(CommandFields.SCALE, 32))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("TLBI_NH_VA.SCALE")
        .hasMessageContaining("q0[24:20]");
    assertThatThrownBy(
            () -> Command.builder(Opcode.CMD_SYNC).checked().set(CommandFields.MSI_ADDR, 0x1002))
        .hasMessageContaining("CMD_SYNC.MSIAddr");
    Command ok = Command.builder(Opcode.ATC_INV).checked().set(CommandFields.ATC_SIZE, 52).build();
    assertThat(ok.size()).isEqualTo(52);
  }

  @Test
  void userFieldsBuildTheSameCommandAsTheFactory() {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("cs", "SIG_SEV");
    fields.put("MSH", "3");
    fields.put("MSIAttr", "0xf");
    assertThat(Command.fromUserFields("cmd_sync", fields).toQwords())
        .containsExactly(0x000000000fc02046L, 0L);
  }

  @Test
  void userFieldsRejectBadInputNamingWhereAndWhy() {
    assertThatThrownBy(() -> Command.fromUserFields("CFGI_ALL", Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown command opcode 'CFGI_ALL'");
    assertThatThrownBy(() -> Command.fromUserFields("TLBI_NH_ALL", Map.of("SID", "1")))
        .hasMessage("TLBI_NH_ALL has no field 'SID' (fields: VMID)");
    assertThatThrownBy(() -> Command.fromUserFields("TLBI_NSNH_ALL", Map.of("Opcode", "1")))
        .hasMessage("TLBI_NSNH_ALL has no field 'Opcode' (fields: none)");
    assertThatThrownBy(() -> Command.fromUserFields("TLBI_NH_ALL", Map.of("VMID", "0x10000")))
        .hasMessageContaining("TLBI_NH_ALL.VMID: 0x10000 does not fit q0[47:32]");
    assertThatThrownBy(() -> Command.fromUserFields("CMD_SYNC", Map.of("CS", "LOUD")))
        .hasMessage("CMD_SYNC.CS: 'LOUD' is neither a number nor an encoding name");
    assertThatThrownBy(() -> Command.fromUserFields("ATC_INV", Map.of("Addr", "0x8001")))
        .hasMessageContaining("ATC_INV.Addr");
  }
}
