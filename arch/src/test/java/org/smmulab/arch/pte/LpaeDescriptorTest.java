package org.smmulab.arch.pte;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.smmulab.arch.pte.LpaeDescriptor.AF;
import static org.smmulab.arch.pte.LpaeDescriptor.AP_RDONLY;
import static org.smmulab.arch.pte.LpaeDescriptor.AP_UNPRIV;
import static org.smmulab.arch.pte.LpaeDescriptor.ATTR_INDX;
import static org.smmulab.arch.pte.LpaeDescriptor.MEM_ATTR;
import static org.smmulab.arch.pte.LpaeDescriptor.NG;
import static org.smmulab.arch.pte.LpaeDescriptor.NS;
import static org.smmulab.arch.pte.LpaeDescriptor.NS_TABLE;
import static org.smmulab.arch.pte.LpaeDescriptor.PXN;
import static org.smmulab.arch.pte.LpaeDescriptor.S2AP_READ;
import static org.smmulab.arch.pte.LpaeDescriptor.S2AP_WRITE;
import static org.smmulab.arch.pte.LpaeDescriptor.S2_XN;
import static org.smmulab.arch.pte.LpaeDescriptor.SH;
import static org.smmulab.arch.pte.LpaeDescriptor.SOFTWARE;
import static org.smmulab.arch.pte.LpaeDescriptor.TABLE_OR_PAGE;
import static org.smmulab.arch.pte.LpaeDescriptor.UXN;
import static org.smmulab.arch.pte.LpaeDescriptor.VALID;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.smmulab.arch.codec.Field;
import org.smmulab.arch.pte.LpaeDescriptor.Kind;
import org.smmulab.arch.testing.SharedVectors;

class LpaeDescriptorTest {
  private static final Granule G4K = Granule.SIZE_4K;
  private static final Granule G16K = Granule.SIZE_16K;
  private static final Granule G64K = Granule.SIZE_64K;

  /** Builds a descriptor word from (field, value) pairs. */
  private static long word(Object... fieldValuePairs) {
    long[] image = new long[1];
    for (int i = 0; i < fieldValuePairs.length; i += 2) {
      ((Field) fieldValuePairs[i]).set(image, ((Number) fieldValuePairs[i + 1]).longValue());
    }
    return image[0];
  }

  /** The first {@code 0x...} number after {@code after} in {@code text}. */
  private static long hexAfter(String text, String after) {
    Matcher m = Pattern.compile(Pattern.quote(after) + "\\s*(0x[0-9a-fA-F]+)").matcher(text);
    assertThat(m.find()).as("a hex value after '%s' in %s", after, text).isTrue();
    return SharedVectors.hex(m.group(1));
  }

  // ---- kinds -------------------------------------------------------------------------------

  @Test
  void kindOfEveryLevelAndTypePattern() {
    // Per granule, per level 0..3: the kind of bits[1:0] = 01 and 11 (section 6).
    Granule[] granules = {G4K, G16K, G64K};
    Kind[][] blockPattern = {
      {Kind.RESERVED, Kind.BLOCK, Kind.BLOCK, Kind.RESERVED},
      {Kind.RESERVED, Kind.RESERVED, Kind.BLOCK, Kind.RESERVED},
      {Kind.RESERVED, Kind.RESERVED, Kind.BLOCK, Kind.RESERVED},
    };
    Kind[] tablePattern = {Kind.TABLE, Kind.TABLE, Kind.TABLE, Kind.PAGE};
    for (int g = 0; g < granules.length; g++) {
      // The 64K granule has no level 0 table with up to 52 address bits; start at L1 for it.
      int firstLevel = granules[g] == G64K ? 1 : 0;
      for (int level = 0; level < 4; level++) {
        String where = granules[g] + " L" + level;
        assertThat(LpaeDescriptor.kindOf(0b00, level, granules[g]))
            .as(where)
            .isEqualTo(Kind.INVALID);
        assertThat(LpaeDescriptor.kindOf(0b10, level, granules[g]))
            .as(where)
            .isEqualTo(Kind.INVALID);
        assertThat(LpaeDescriptor.kindOf(0b01, level, granules[g]))
            .as(where)
            .isEqualTo(blockPattern[g][level]);
        if (level >= firstLevel) {
          assertThat(LpaeDescriptor.kindOf(0b11, level, granules[g]))
              .as(where)
              .isEqualTo(tablePattern[level]);
        }
      }
    }
  }

  @Test
  void kindIgnoresEveryBitAboveBit1() {
    long upper = 0xffff_ffff_ffff_fffcL;
    assertThat(LpaeDescriptor.kindOf(upper, 2, G4K)).isEqualTo(Kind.INVALID);
    assertThat(LpaeDescriptor.kindOf(upper | 1, 2, G4K)).isEqualTo(Kind.BLOCK);
    assertThat(LpaeDescriptor.kindOf(upper | 1, 3, G4K)).isEqualTo(Kind.RESERVED);
    assertThat(LpaeDescriptor.kindOf(upper | 3, 3, G4K)).isEqualTo(Kind.PAGE);
  }

  @Test
  void levelOutsideZeroToThreeIsRejected() {
    assertThatThrownBy(() -> LpaeDescriptor.decode(3, Stage.STAGE_1, 4, G4K))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0..3")
        .hasMessageContaining("4");
    assertThatThrownBy(() -> LpaeDescriptor.decode(3, Stage.STAGE_2, -1, G4K))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // ---- addresses ---------------------------------------------------------------------------

  @Test
  void sixtyFourKHighAddressBitsLiveInBits15To12() {
    long pa = 0x000A_BCDE_F123_0000L;
    long raw = LpaeDescriptor.withAddress(0b11, pa, G64K);
    assertThat(raw).isEqualTo(0x0000_BCDE_F123_A003L);
    assertThat(LpaeDescriptor.address(raw, G64K)).isEqualTo(pa);
    LpaeDescriptor d = LpaeDescriptor.decode(raw, Stage.STAGE_1, 3, G64K);
    assertThat(d.get(LpaeDescriptor.OA_HIGH_64K)).isEqualTo(0xA);
    assertThat(d.describe()).contains("OA[51:48]=0xa").doesNotContain("reserved");
  }

  @Property(seed = "4864")
  void sixtyFourKAddressRoundTrips(@ForAll long start, @ForAll long anyAddress) {
    long pa = anyAddress & 0x000F_FFFF_FFFF_0000L;
    long raw = LpaeDescriptor.withAddress(start, pa, G64K);
    assertThat(LpaeDescriptor.address(raw, G64K)).isEqualTo(pa);
    // Only bits [47:12] change.
    assertThat(raw & ~0x0000_FFFF_FFFF_F000L).isEqualTo(start & ~0x0000_FFFF_FFFF_F000L);
    assertThat(LpaeDescriptor.withAddress(raw, LpaeDescriptor.address(start, G64K), G64K))
        .isEqualTo(start);
  }

  @Property(seed = "4865")
  void fourAndSixteenKAddressesSitInPlace(@ForAll long start, @ForAll long anyAddress) {
    long pa4k = anyAddress & 0x0000_FFFF_FFFF_F000L;
    long raw4k = LpaeDescriptor.withAddress(start, pa4k, G4K);
    assertThat(LpaeDescriptor.address(raw4k, G4K)).isEqualTo(pa4k);
    assertThat(raw4k & 0x0000_FFFF_FFFF_F000L).isEqualTo(pa4k);
    assertThat(raw4k & ~0x0000_FFFF_FFFF_F000L).isEqualTo(start & ~0x0000_FFFF_FFFF_F000L);

    long pa16k = anyAddress & 0x0000_FFFF_FFFF_C000L;
    long raw16k = LpaeDescriptor.withAddress(start, pa16k, G16K);
    assertThat(LpaeDescriptor.address(raw16k, G16K)).isEqualTo(pa16k);
    assertThat(raw16k & ~0x0000_FFFF_FFFF_C000L).isEqualTo(start & ~0x0000_FFFF_FFFF_C000L);
  }

  @Test
  void addressBitsOutsideTheGranuleAreDropped() {
    assertThat(LpaeDescriptor.withAddress(0, 0x0008_0000_0000_0fffL, G4K)).isZero();
    assertThat(LpaeDescriptor.withAddress(0, 0x3fffL, G16K)).isZero();
    assertThat(LpaeDescriptor.withAddress(0, 0xffffL, G64K)).isZero();
    // 64K: address bits [63:52] do not reach the descriptor either.
    assertThat(LpaeDescriptor.withAddress(0, 0xfff0_0000_0000_0000L, G64K)).isZero();
  }

  // ---- io-pgtable attribute vectors ---------------------------------------------------------

  @Test
  void ioPgtableStage1Bits() {
    JsonNode bits = SharedVectors.load("io-pgtable-selftests.json").get("pte_bits_derived");
    String rwCache = bits.get("S1 map R|W|NOEXEC|CACHE").asText();
    long attrs =
        word(
            NG,
            1,
            AP_UNPRIV,
            1,
            ATTR_INDX,
            1,
            SH,
            SH.names().valueOf("inner"),
            PXN,
            1,
            UXN,
            1,
            AF,
            1);
    assertThat(attrs).isEqualTo(hexAfter(rwCache, "="));
    // "+type: level3 PAGE=0b11 -> 0x...f47, block BLOCK=0b01 -> 0x...f45"
    long page = word(VALID, 1, TABLE_OR_PAGE, 1) | attrs;
    long block = word(VALID, 1) | attrs;
    assertThat(page & 0xfff).isEqualTo(0xf47);
    assertThat(block & 0xfff).isEqualTo(0xf45);
    assertThat(rwCache).contains("-> 0x...f47").contains("-> 0x...f45");

    long leaf = LpaeDescriptor.withAddress(page, 0x1234_5000L, G4K);
    LpaeDescriptor d = LpaeDescriptor.decode(leaf, Stage.STAGE_1, 3, G4K);
    assertThat(d.kind()).isEqualTo(Kind.PAGE);
    assertThat(d.address()).isEqualTo(0x1234_5000L);
    assertThat(d.leafSize()).isEqualTo(4096);
    assertThat(d.describe())
        .isEqualTo(
            "S1 L3 4K page: PTE S1 leaf V=1 T=1 AttrIndx=1 AP1.EL0=1 SH=inner AF=1 nG=1"
                + " OA=0x12345000 PXN=1 UXN=1");
    LpaeDescriptor b = LpaeDescriptor.decode(block | 0x4000_0000L, Stage.STAGE_1, 1, G4K);
    assertThat(b.kind()).isEqualTo(Kind.BLOCK);
    assertThat(b.leafSize()).isEqualTo(1L << 30);

    // The vector names nG|AP_UNPRIV|ATTRINDX=0|SH_OS|AF but prints 0xa40, which lacks AF (bit 10):
    // io-pgtable sets AF in every leaf, and the stage-2 write-only vector (0x694) includes it. The
    // field list is the authority here; the printed hex is checked to differ by AF alone.
    String writeOnly = bits.get("S1 map WRITE only (remap step)").asText();
    assertThat(writeOnly).contains("nG|AP_UNPRIV|ATTRINDX=0|SH_OS(2<<8)|AF");
    long writeOnlyAttrs =
        word(NG, 1, AP_UNPRIV, 1, ATTR_INDX, 0, SH, SH.names().valueOf("outer"), AF, 1);
    assertThat(writeOnlyAttrs).isEqualTo(0xe40L);
    assertThat(writeOnlyAttrs ^ hexAfter(writeOnly, "=")).isEqualTo(AF.mask());
  }

  @Test
  void ioPgtableStage2Bits() {
    JsonNode bits = SharedVectors.load("io-pgtable-selftests.json").get("pte_bits_derived");
    long rwCache = word(S2AP_READ, 1, S2AP_WRITE, 1, MEM_ATTR, 0xf, SH, 3, S2_XN, 3, AF, 1);
    assertThat(rwCache).isEqualTo(hexAfter(bits.get("S2 map R|W|NOEXEC|CACHE").asText(), "="));
    long writeOnly = word(S2AP_WRITE, 1, MEM_ATTR, 0x5, SH, 2, AF, 1);
    assertThat(writeOnly).isEqualTo(hexAfter(bits.get("S2 map WRITE only").asText(), "="));

    LpaeDescriptor d = LpaeDescriptor.decode(rwCache | 0b11 | 0x8000_0000L, Stage.STAGE_2, 3, G4K);
    assertThat(d.describe())
        .isEqualTo(
            "S2 L3 4K page: PTE S2 leaf V=1 T=1 MemAttr=0xf S2AP.R=1 S2AP.W=1 SH=inner AF=1"
                + " OA=0x80000000 XN=3");
  }

  @Test
  void qemuQtestDescriptorMasks() {
    JsonNode layout = SharedVectors.load("qemu-smmuv3-qtest.json").get("layout");
    long table = word(VALID, 1, TABLE_OR_PAGE, 1, NS_TABLE, 1);
    assertThat(table).isEqualTo(hexAfter(layout.get("NON_LEAF_PTE_MASK").asText(), ""));
    // S1 leaf: AP = 01 (EL0 read/write), NS, inner shareable, AF, software bit 58.
    long s1Leaf =
        word(VALID, 1, TABLE_OR_PAGE, 1, NS, 1, AP_UNPRIV, 1, SH, 3, AF, 1, SOFTWARE, 0b1000);
    assertThat(s1Leaf).isEqualTo(hexAfter(layout.get("LEAF_RW_MASK").asText(), ""));
    // S2 final leaf: S2AP = 11 (read/write), MemAttr 0b1000, inner shareable, AF, bit 58.
    long s2Leaf =
        word(
            VALID,
            1,
            TABLE_OR_PAGE,
            1,
            MEM_ATTR,
            0b1000,
            S2AP_READ,
            1,
            S2AP_WRITE,
            1,
            SH,
            3,
            AF,
            1,
            SOFTWARE,
            0b1000);
    assertThat(s2Leaf).isEqualTo(hexAfter(layout.get("LEAF_RO_MASK").asText(), ""));
    // Read as stage 1, the same word is read-only for EL0 and privileged code.
    assertThat(LpaeDescriptor.decode(s2Leaf, Stage.STAGE_1, 3, G4K).get(AP_RDONLY)).isEqualTo(1);
    assertThat(LpaeDescriptor.decode(table, Stage.STAGE_1, 0, G4K).describe())
        .isEqualTo("S1 L0 4K table: PTE table V=1 T=1 NSTable=1");
  }

  // ---- decode never throws ------------------------------------------------------------------

  @Property(seed = "1948")
  void decodeAndDescribeAcceptEveryPattern(
      @ForAll long raw,
      @ForAll Stage stage,
      @ForAll @IntRange(min = 0, max = 3) int level,
      @ForAll Granule granule) {
    LpaeDescriptor d = LpaeDescriptor.decode(raw, stage, level, granule);
    assertThat(d.raw()).isEqualTo(raw);
    assertThat(d.kind()).isEqualTo(LpaeDescriptor.kindOf(raw, level, granule));
    assertThat(d.describe()).isNotEmpty().contains(d.kind().name().toLowerCase());
    assertThat(d.fields()).isNotNull();
    assertThat(LpaeDescriptor.decode(raw, stage, level, granule)).isEqualTo(d);
    assertThat(LpaeDescriptor.withAddress(raw, d.address(), granule)).isEqualTo(raw);
    // Every set bit is accounted for: by a field of the layout, or as reserved.
    long covered = d.layout().definedBits()[0];
    if ((raw & ~covered) != 0) {
      assertThat(d.describe()).contains("reserved=0x" + Long.toHexString(raw & ~covered));
    }
  }

  @Test
  void invalidDescriptorsShowOnlyStrayBits() {
    LpaeDescriptor d = LpaeDescriptor.decode(0xdead_0000L, Stage.STAGE_1, 2, G4K);
    assertThat(d.kind()).isEqualTo(Kind.INVALID);
    assertThat(d.describe()).isEqualTo("S1 L2 4K invalid: PTE invalid q0.reserved=0xdead0000");
    LpaeDescriptor reserved = LpaeDescriptor.decode(0x1001L, Stage.STAGE_2, 3, G4K);
    assertThat(reserved.kind()).isEqualTo(Kind.RESERVED);
    assertThat(reserved.describe()).startsWith("S2 L3 4K reserved: ");
  }
}
