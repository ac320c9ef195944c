package org.smmulab.arch.regs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.smmulab.arch.pte.Granule;

class IdRegistersTest {
  /** IDR0 one-bit accessors and their bit positions (section 1 of the hardware model notes). */
  private static final Map<Integer, Predicate<Idr0>> IDR0_BITS = new LinkedHashMap<>();

  /** IDR0 multi-bit accessors: {lo, width} and the accessor. */
  private static final Map<int[], Function<Idr0, Integer>> IDR0_FIELDS = new LinkedHashMap<>();

  static {
    IDR0_BITS.put(0, Idr0::s2p);
    IDR0_BITS.put(1, Idr0::s1p);
    IDR0_BITS.put(4, Idr0::cohacc);
    IDR0_BITS.put(5, Idr0::btm);
    IDR0_BITS.put(9, Idr0::hyp);
    IDR0_BITS.put(10, Idr0::ats);
    IDR0_BITS.put(11, Idr0::ns1ats);
    IDR0_BITS.put(12, Idr0::asid16);
    IDR0_BITS.put(13, Idr0::msi);
    IDR0_BITS.put(14, Idr0::sev);
    IDR0_BITS.put(15, Idr0::atos);
    IDR0_BITS.put(16, Idr0::pri);
    IDR0_BITS.put(17, Idr0::vmw);
    IDR0_BITS.put(18, Idr0::vmid16);
    IDR0_BITS.put(19, Idr0::cd2l);
    IDR0_BITS.put(20, Idr0::vatos);
    IDR0_BITS.put(26, Idr0::termModel);
    IDR0_BITS.put(30, Idr0::rmeImpl);
    IDR0_FIELDS.put(new int[] {2, 2}, Idr0::ttf);
    IDR0_FIELDS.put(new int[] {6, 2}, Idr0::httu);
    IDR0_FIELDS.put(new int[] {21, 2}, Idr0::ttEndian);
    IDR0_FIELDS.put(new int[] {24, 2}, Idr0::stallModel);
    IDR0_FIELDS.put(new int[] {27, 2}, Idr0::stLevel);
  }

  private static int bits(int value, int lo, int width) {
    return (value >>> lo) & ((1 << width) - 1);
  }

  @Property(seed = "90001")
  void idr0AccessorsReadTheirBits(@ForAll int value) {
    Idr0 idr0 = Idr0.decode(value);
    assertThat(idr0.value()).isEqualTo(value);
    IDR0_BITS.forEach(
        (bit, accessor) ->
            assertThat(accessor.test(idr0)).as("bit %d", bit).isEqualTo(bits(value, bit, 1) == 1));
    IDR0_FIELDS.forEach(
        (pos, accessor) ->
            assertThat(accessor.apply(idr0))
                .as("[%d+%d]", pos[0], pos[1])
                .isEqualTo(bits(value, pos[0], pos[1])));
    assertThat(Idr0.decode(idr0.value())).isEqualTo(idr0);
    assertThat(idr0.describe()).startsWith("IDR0");
  }

  @Property(seed = "90002")
  void idr1AccessorsReadTheirBits(@ForAll int value) {
    Idr1 idr1 = Idr1.decode(value);
    assertThat(idr1.value()).isEqualTo(value);
    assertThat(idr1.sidSize()).isEqualTo(bits(value, 0, 6));
    assertThat(idr1.ssidSize()).isEqualTo(bits(value, 6, 5));
    assertThat(idr1.priqs()).isEqualTo(bits(value, 11, 5));
    assertThat(idr1.eventqs()).isEqualTo(bits(value, 16, 5));
    assertThat(idr1.cmdqs()).isEqualTo(bits(value, 21, 5));
    assertThat(idr1.attrPermsOverride()).isEqualTo(bits(value, 26, 1) == 1);
    assertThat(idr1.attrTypesOverride()).isEqualTo(bits(value, 27, 1) == 1);
    assertThat(idr1.rel()).isEqualTo(bits(value, 28, 1) == 1);
    assertThat(idr1.queuesPreset()).isEqualTo(bits(value, 29, 1) == 1);
    assertThat(idr1.tablesPreset()).isEqualTo(bits(value, 30, 1) == 1);
    assertThat(idr1.ecmdq()).isEqualTo(bits(value, 31, 1) == 1);
    // Every bit of IDR1 is a field: nothing is ever reported as reserved.
    assertThat(idr1.describe()).doesNotContain("reserved");
  }

  @Property(seed = "90003")
  void idr3AccessorsReadTheirBits(@ForAll int value) {
    Idr3 idr3 = Idr3.decode(value);
    assertThat(idr3.value()).isEqualTo(value);
    assertThat(idr3.had()).isEqualTo(bits(value, 2, 1) == 1);
    assertThat(idr3.pbha()).isEqualTo(bits(value, 3, 1) == 1);
    assertThat(idr3.xnx()).isEqualTo(bits(value, 4, 1) == 1);
    assertThat(idr3.pps()).isEqualTo(bits(value, 5, 1) == 1);
    assertThat(idr3.mpam()).isEqualTo(bits(value, 7, 1) == 1);
    assertThat(idr3.fwb()).isEqualTo(bits(value, 8, 1) == 1);
    assertThat(idr3.stt()).isEqualTo(bits(value, 9, 1) == 1);
    assertThat(idr3.ril()).isEqualTo(bits(value, 10, 1) == 1);
    assertThat(idr3.bbml()).isEqualTo(bits(value, 11, 2));
    assertThat(idr3.e0pd()).isEqualTo(bits(value, 13, 1) == 1);
    assertThat(idr3.ptwnnc()).isEqualTo(bits(value, 14, 1) == 1);
    assertThat(idr3.dpt()).isEqualTo(bits(value, 15, 1) == 1);
  }

  @Property(seed = "90005")
  void idr5AccessorsReadTheirBits(@ForAll int value) {
    Idr5 idr5 = Idr5.decode(value);
    assertThat(idr5.value()).isEqualTo(value);
    assertThat(idr5.oas()).isEqualTo(bits(value, 0, 3));
    assertThat(idr5.gran4k()).isEqualTo(bits(value, 4, 1) == 1);
    assertThat(idr5.gran16k()).isEqualTo(bits(value, 5, 1) == 1);
    assertThat(idr5.gran64k()).isEqualTo(bits(value, 6, 1) == 1);
    assertThat(idr5.supports(Granule.SIZE_4K)).isEqualTo(idr5.gran4k());
    assertThat(idr5.supports(Granule.SIZE_16K)).isEqualTo(idr5.gran16k());
    assertThat(idr5.supports(Granule.SIZE_64K)).isEqualTo(idr5.gran64k());
    assertThat(idr5.vax()).isEqualTo(bits(value, 10, 2));
    assertThat(idr5.stallMax()).isEqualTo(bits(value, 16, 16));
    assertThat(Idr5.decode(value)).isEqualTo(idr5);
  }

  @Test
  void composeQemuLikeIdRegisters() {
    // Stage 1 and 2, AArch64 tables, 16-bit ASIDs and VMIDs, LE only, terminate only, 2-level.
    Idr0 idr0 =
        Idr0.builder()
            .checked()
            .set(Idr0.S1P, true)
            .set(Idr0.S2P, true)
            .set(Idr0.TTF, Idr0.TTF_AARCH64)
            .set(Idr0.ASID16, true)
            .set(Idr0.VMID16, true)
            .set(Idr0.TTENDIAN, Idr0.TTENDIAN_LE)
            .set(Idr0.STALL_MODEL, Idr0.STALL_MODEL_TERMINATE)
            .set(Idr0.ST_LEVEL, Idr0.ST_LEVEL_TWO_LEVEL)
            .build();
    assertThat(idr0.value()).isEqualTo(0x0944_100B);
    assertThat(idr0.aarch64Tables()).isTrue();
    assertThat(idr0.describe())
        .isEqualTo(
            "IDR0 S2P=1 S1P=1 TTF=aarch64 ASID16=1 VMID16=1 TTENDIAN=LE"
                + " STALL_MODEL=terminate ST_LEVEL=2-level");

    // SIDSIZE 16, event and command queues up to 2^19 entries.
    Idr1 idr1 =
        Idr1.builder()
            .checked()
            .set(Idr1.SIDSIZE, 16)
            .set(Idr1.EVENTQS, 19)
            .set(Idr1.CMDQS, 19)
            .build();
    assertThat(idr1.value()).isEqualTo(0x0273_0010);
    assertThat(idr1.describe()).isEqualTo("IDR1 SIDSIZE=0x10 EVENTQS=0x13 CMDQS=0x13");

    // HAD, RIL and BBML level 2.
    Idr3 idr3 = Idr3.builder().set(Idr3.HAD, true).set(Idr3.RIL, true).set(Idr3.BBML, 2).build();
    assertThat(idr3.value()).isEqualTo(0x1404);

    // 44-bit output addresses and all three granules.
    Idr5 idr5 =
        Idr5.builder()
            .set(Idr5.OAS, 4)
            .set(Idr5.GRAN4K, true)
            .set(Idr5.GRAN16K, true)
            .set(Idr5.GRAN64K, true)
            .build();
    assertThat(idr5.value()).isEqualTo(0x74);
    assertThat(idr5.oasBits()).isEqualTo(44);
    assertThat(idr5.describe()).isEqualTo("IDR5 OAS=44-bit GRAN4K=1 GRAN16K=1 GRAN64K=1");
  }

  @Test
  void bit31DecodesAsAFieldNotAsASignExtension() {
    Idr1 idr1 = Idr1.decode(0x8000_0000);
    assertThat(idr1.ecmdq()).isTrue();
    assertThat(idr1.describe()).isEqualTo("IDR1 ECMDQ=1");
    assertThat(Idr5.decode(0xffff_0000).stallMax()).isEqualTo(0xffff);
  }

  @Test
  void reservedEncodingsAndBitsAreShown() {
    assertThat(Idr0.decode(1 << 21).describe()).isEqualTo("IDR0 TTENDIAN=reserved(1)");
    assertThat(Idr0.decode(3 << 6).describe()).isEqualTo("IDR0 HTTU=reserved(3)");
    assertThat(Idr0.decode(3 << 24).describe()).isEqualTo("IDR0 STALL_MODEL=reserved(3)");
    assertThat(Idr0.decode(1 << 29).describe()).isEqualTo("IDR0 q0.reserved=0x20000000");
    assertThat(Idr0.decode(1 << 2).aarch64Tables()).isFalse();
    Idr5 badOas = Idr5.decode(7);
    assertThat(badOas.oasBits()).isEqualTo(-1);
    assertThat(badOas.describe()).isEqualTo("IDR5 OAS=reserved(7)");
    assertThat(Idr5.decode(1 << 10).describe()).isEqualTo("IDR5 VAX=52-bit");
    assertThat(Idr3.decode(0x3).describe()).isEqualTo("IDR3 q0.reserved=0x3");
  }

  @Test
  void namedEncodings() {
    assertThat(Idr0.HTTU.format(1)).isEqualTo("AF");
    assertThat(Idr0.HTTU.format(2)).isEqualTo("AF+dirty");
    assertThat(Idr0.TTF.format(3)).isEqualTo("aarch32+aarch64");
    assertThat(Idr0.TTF.format(0)).isEqualTo("reserved(0)");
    assertThat(Idr0.TTENDIAN.format(0)).isEqualTo("mixed");
    assertThat(Idr0.TTENDIAN.format(3)).isEqualTo("BE");
    assertThat(Idr0.STALL_MODEL.format(2)).isEqualTo("stall-forced");
    assertThat(Idr0.ST_LEVEL.format(0)).isEqualTo("linear");
    assertThat(Idr0.ST_LEVEL.format(2)).isEqualTo("reserved(2)");
    assertThat(Idr5.OAS.format(6)).isEqualTo("52-bit");
    assertThat(Idr5.VAX.format(0)).isEqualTo("48-bit");
  }
}
