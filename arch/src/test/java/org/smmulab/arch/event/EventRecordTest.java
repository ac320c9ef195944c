package org.smmulab.arch.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalInt;
import java.util.stream.Collectors;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.smmulab.arch.codec.QwordImage;

class EventRecordTest {
  private static final long Q3_PATTERN = 0xFFFF_FFFF_FFFF_FFFFL;

  /** Every ID of the table in smmuv3-hw-model.md §5, with what qword 3 holds. */
  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "F_UUT, 0x01, ",
    "C_BAD_STREAMID, 0x02, ",
    "F_STE_FETCH, 0x03, FetchAddr",
    "C_BAD_STE, 0x04, ",
    "F_BAD_ATS_TREQ, 0x05, ",
    "F_STREAM_DISABLED, 0x06, ",
    "F_TRANSL_FORBIDDEN, 0x07, ",
    "C_BAD_SUBSTREAMID, 0x08, ",
    "F_CD_FETCH, 0x09, FetchAddr",
    "C_BAD_CD, 0x0A, ",
    "F_WALK_EABT, 0x0B, FetchAddr",
    "F_TRANSLATION, 0x10, IPA",
    "F_ADDR_SIZE, 0x11, IPA",
    "F_ACCESS, 0x12, IPA",
    "F_PERMISSION, 0x13, IPA",
    "F_TLB_CONFLICT, 0x20, ",
    "F_CFG_CONFLICT, 0x21, ",
    "E_PAGE_REQUEST, 0x24, ",
    "F_VMS_FETCH, 0x25, FetchAddr",
  })
  void everyTypeRoundTripsAndNamesItsQword3(String name, String id, String q3Field) {
    EventType type = EventType.valueOf(name);
    assertThat(type.value()).isEqualTo(Integer.decode(id));
    assertThat(EventType.fromValue(type.value())).isSameAs(type);

    long q0 = 0x0000_0008_0000_5800L | type.value();
    EventRecord r = EventRecord.decode(q0, 0, 0x1000, Q3_PATTERN);
    assertThat(r.type()).isSameAs(type);
    assertThat(r.layout()).isSameAs(type.layout());
    assertThat(r.toQwords()).containsExactly(q0, 0, 0x1000, Q3_PATTERN);
    assertThat(EventRecord.decode(r.toQwords())).isEqualTo(r);

    String common = name + " SSV=1 SSID=5 SID=8 InputAddr=0x1000";
    if (q3Field == null) {
      assertThat(r.describe()).isEqualTo(common + " q3.reserved=0xffffffffffffffff");
      assertThatThrownBy(r::ipa).isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(r::fetchAddress).isInstanceOf(IllegalStateException.class);
    } else if (q3Field.equals("IPA")) {
      assertThat(r.describe())
          .isEqualTo(common + " IPA=0xffffffffff000 q3.reserved=0xfff0000000000fff");
      assertThat(r.ipa()).isEqualTo(0x000F_FFFF_FFFF_F000L);
    } else {
      assertThat(r.describe())
          .isEqualTo(common + " FetchAddr=0xffffffffffff8 q3.reserved=0xfff0000000000007");
      assertThat(r.fetchAddress()).isEqualTo(0x000F_FFFF_FFFF_FFF8L);
    }
  }

  @Test
  void commonFieldsSitWhereSection5PutsThem() {
    String fields =
        EventType.F_TRANSLATION.layout().fields().stream()
            .map(Object::toString)
            .collect(Collectors.joining(" "));
    assertThat(fields)
        .isEqualTo(
            "EventID=q0[7:0] SSV=q0[11:11] SSID=q0[31:12] SID=q0[63:32] STAG=q1[15:0]"
                + " Stall=q1[31:31] PnU=q1[33:33] InD=q1[34:34] RnW=q1[35:35] S2=q1[39:39]"
                + " CLASS=q1[41:40] TT-read=q1[44:44] InputAddr=q2[63:0] IPA=q3[51:12]");
    assertThat(EventType.F_WALK_EABT.layout().fields().get(13).toString())
        .isEqualTo("FetchAddr=q3[51:3]");
  }

  @Test
  void translationFaultEncodesExactly() {
    EventRecord r =
        EventRecord.translationFault(
            EventType.F_TRANSLATION,
            8,
            OptionalInt.empty(),
            0x1000,
            true,
            false,
            false,
            true,
            EventRecord.CLASS_IN,
            0x4000_0000L);
    assertThat(r.toQwords())
        .containsExactly(0x0000_0008_0000_0010L, 0x0000_0288_0000_0000L, 0x1000L, 0x4000_0000L);
    assertThat(r.describe())
        .isEqualTo("F_TRANSLATION SID=8 RnW=1 S2=1 CLASS=IN InputAddr=0x1000 IPA=0x40000000");
    assertThat(r.rnw()).isTrue();
    assertThat(r.s2()).isTrue();
    assertThat(r.pnu()).isFalse();
    assertThat(r.ind()).isFalse();
    assertThat(r.eventClass()).isEqualTo(EventRecord.CLASS_IN);
    assertThat(r.substream()).isEmpty();
    assertThat(r.ipa()).isEqualTo(0x4000_0000L);
  }

  @Test
  void permissionFaultWithStallCarriesTheTag() {
    EventRecord r =
        EventRecord.translationFault(
                EventType.F_PERMISSION,
                0x20,
                OptionalInt.of(3),
                0xFFFF_0000_0000_2000L,
                false,
                true,
                true,
                false,
                EventRecord.CLASS_TT,
                0)
            .withStall(0x1234);
    assertThat(r.toQwords())
        .containsExactly(
            0x0000_0020_0000_3813L, 0x0000_0106_8000_1234L, 0xFFFF_0000_0000_2000L, 0L);
    assertThat(r.describe())
        .isEqualTo(
            "F_PERMISSION SSV=1 SSID=3 SID=0x20 STAG=0x1234 Stall=1 PnU=1 InD=1 CLASS=TT"
                + " InputAddr=0xffff000000002000");
    assertThat(r.stall()).isTrue();
    assertThat(r.stag()).isEqualTo(0x1234);
    assertThat(r.substream()).hasValue(3);
  }

  @Test
  void configErrorAndFetchAbortEncodeExactly() {
    EventRecord bad = EventRecord.configError(EventType.C_BAD_STE, 3, OptionalInt.of(5));
    assertThat(bad.toQwords()).containsExactly(0x0000_0003_0000_5804L, 0L, 0L, 0L);
    assertThat(bad.describe()).isEqualTo("C_BAD_STE SSV=1 SSID=5 SID=3");

    EventRecord fetch =
        EventRecord.fetchAbort(EventType.F_CD_FETCH, 0x10, OptionalInt.empty(), 0x8000_0048L);
    assertThat(fetch.toQwords()).containsExactly(0x0000_0010_0000_0009L, 0L, 0L, 0x8000_0048L);
    assertThat(fetch.describe()).isEqualTo("F_CD_FETCH SID=0x10 FetchAddr=0x80000048");
    assertThat(fetch.fetchAddress()).isEqualTo(0x8000_0048L);

    EventRecord walk =
        EventRecord.walkAbort(
            1, OptionalInt.empty(), 0x5000, true, false, false, true, EventRecord.CLASS_TT, 0x88);
    assertThat(walk.toQwords())
        .containsExactly(0x0000_0001_0000_000BL, 0x0000_0188_0000_0000L, 0x5000L, 0x88L);

    EventRecord uut =
        EventRecord.transactionFault(
            EventType.F_UUT, 2, OptionalInt.empty(), 0x3000, false, true, false);
    assertThat(uut.describe()).isEqualTo("F_UUT SID=2 PnU=1 InputAddr=0x3000");
  }

  @Test
  void factoriesRejectEventTypesOfAnotherFormat() {
    assertThatThrownBy(
            () -> EventRecord.configError(EventType.F_TRANSLATION, 1, OptionalInt.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("configError cannot record F_TRANSLATION");
    assertThatThrownBy(() -> EventRecord.fetchAbort(EventType.C_BAD_CD, 1, OptionalInt.empty(), 0))
        .hasMessageContaining("fetchAbort cannot record C_BAD_CD");
    assertThatThrownBy(
            () ->
                EventRecord.translationFault(
                    EventType.F_WALK_EABT,
                    1,
                    OptionalInt.empty(),
                    0,
                    true,
                    false,
                    false,
                    false,
                    0,
                    0))
        .hasMessageContaining("translationFault cannot record F_WALK_EABT");
  }

  @Test
  void unknownIdsDecodeAsReserved() {
    for (int v = 0; v < 256; v++) {
      if (EventType.fromValue(v) != null) {
        continue;
      }
      EventRecord r = EventRecord.decode(v, 0, 0, 1);
      assertThat(r.isArchitected()).isFalse();
      assertThat(r.type()).isNull();
      assertThat(r.typeValue()).isEqualTo(v);
      assertThat(r.describe()).isEqualTo(String.format("reserved(0x%02x) q3.reserved=0x1", v));
    }
    assertThat(EventType.values()).hasSize(19);
    assertThat(EventRecord.decode(0x0000_0007_0000_000CL, 0, 0, 0).describe())
        .isEqualTo("reserved(0x0c) SID=7");
  }

  @Test
  void reservedClassPrintsAsReserved() {
    EventRecord r = EventRecord.decode(0x10, 3L << 40, 0, 0);
    assertThat(r.describe()).isEqualTo("F_TRANSLATION CLASS=reserved(3)");
  }

  @ParameterizedTest
  @EnumSource(EventType.class)
  void builderRoundTripsAllFieldsOfEveryType(EventType type) {
    EventRecord r =
        EventRecord.builder(type)
            .set(EventFields.SID, 0xFFFF_FFFFL)
            .set(EventFields.SSID, 0xF_FFFF)
            .set(EventFields.TT_READ, 1)
            .qword(3, Q3_PATTERN)
            .build();
    assertThat(EventRecord.decode(r.toQwords())).isEqualTo(r);
    assertThat(r.sid()).isEqualTo(-1);
    assertThat(r.ssid()).isEqualTo(0xF_FFFF);
    assertThat(r.ttRead()).isTrue();
    assertThat(r.describe()).startsWith(type.name() + " SSID=0xfffff SID=0xffffffff TT-read=1");
  }

  @Property(seed = "20240615", tries = 500)
  void decodeRoundTripsAndDescribesEveryPattern(
      @ForAll long q0, @ForAll long q1, @ForAll long q2, @ForAll long q3) {
    EventRecord r = EventRecord.decode(q0, q1, q2, q3);
    assertThat(r.toQwords()).containsExactly(q0, q1, q2, q3);
    assertThat(EventRecord.decode(r.toQwords())).isEqualTo(r);
    String expectedName =
        r.isArchitected() ? r.type().name() : String.format("reserved(0x%02x)", q0 & 0xFF);
    assertThat(r.describe()).startsWith(expectedName);
    assertThat(r.inputAddress()).isEqualTo(q2);
    assertThat(r.sid()).isEqualTo((int) (q0 >>> 32));
  }

  @Property(tries = 300, seed = "2101")
  void translationFaultsEqualWhatTheBuilderMakesFieldByField(
      @ForAll int sid,
      @ForAll boolean ssv,
      @ForAll int ssid,
      @ForAll long inputAddr,
      @ForAll boolean rnw,
      @ForAll boolean pnu,
      @ForAll boolean ind,
      @ForAll boolean s2,
      @ForAll int eventClass,
      @ForAll long ipa) {
    OptionalInt sub = ssv ? OptionalInt.of(ssid) : OptionalInt.empty();
    QwordImage.Builder<EventRecord> expected =
        EventRecord.builder(EventType.F_PERMISSION).set(EventFields.SID, sid);
    if (ssv) {
      expected.set(EventFields.SSV, true).set(EventFields.SSID, ssid);
    }
    expected
        .set(EventFields.INPUT_ADDR, inputAddr)
        .set(EventFields.RNW, rnw)
        .set(EventFields.PNU, pnu)
        .set(EventFields.IND, ind)
        .set(EventFields.S2, s2)
        .set(EventFields.CLASS, eventClass);
    assertThat(
            EventRecord.translationFault(
                EventType.F_PERMISSION, sid, sub, inputAddr, rnw, pnu, ind, s2, eventClass, ipa))
        .isEqualTo(expected.set(EventFields.IPA, ipa).build());
    assertThat(
            EventRecord.walkAbort(sid, sub, inputAddr, rnw, pnu, ind, s2, eventClass, ipa)
                .toQwords())
        .isEqualTo(
            expected
                .set(EventFields.IPA, 0)
                .set(EventType.FIELD, EventType.F_WALK_EABT.value())
                .set(EventFields.FETCH_ADDR, ipa)
                .build()
                .toQwords());
  }
}
