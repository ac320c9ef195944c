package org.smmulab.driver.pgtable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.smmulab.driver.pgtable.Fixture.GIB;
import static org.smmulab.driver.pgtable.Fixture.MIB;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.smmulab.arch.pte.Granule;
import org.smmulab.arch.pte.Stage;
import org.smmulab.arch.testing.SharedVectors;

/**
 * Leaf and table descriptors exactly as {@code pte_bits_derived} in the io-pgtable vectors, plus
 * the MMIO and PRIV encodings the vectors do not list (written down by hand from the kernel's
 * attribute rules).
 */
class PteBitsTest {
  private static final JsonNode BITS =
      SharedVectors.load("io-pgtable-selftests.json").get("pte_bits_derived");
  private static final Pattern HEX = Pattern.compile("= (0x[0-9a-fA-F]+)");
  private static final long PAGE_TYPE = 0b11;
  private static final long BLOCK_TYPE = 0b01;

  private static long vectorBits(String key) {
    Matcher m = HEX.matcher(BITS.get(key).asText());
    assertThat(m.find()).as("hex value in " + key).isTrue();
    return SharedVectors.hex(m.group(1));
  }

  @Test
  void stage1ReadWriteNoExecCache() throws Exception {
    checkPageAndBlock(
        Stage.STAGE_1,
        Prot.READ | Prot.WRITE | Prot.NOEXEC | Prot.CACHE,
        vectorBits("S1 map R|W|NOEXEC|CACHE"));
    assertThat(vectorBits("S1 map R|W|NOEXEC|CACHE")).isEqualTo(0x0060000000000f44L);
  }

  /**
   * The vector lists the bits nG|AP_UNPRIV|ATTRINDX=0|SH_OS|AF, but its hex sum (0xa40) leaves out
   * AF (1 << 10), which the format sets on every leaf as the other three entries show. The listed
   * bits are the reference here.
   */
  @Test
  void stage1WriteOnly() throws Exception {
    String text = BITS.get("S1 map WRITE only (remap step)").asText();
    assertThat(text).startsWith("nG|AP_UNPRIV|ATTRINDX=0|SH_OS(2<<8)|AF = ");
    long listed = (1L << 11) | (1L << 6) | (0L << 2) | (2L << 8) | (1L << 10);
    assertThat(vectorBits("S1 map WRITE only (remap step)")).isEqualTo(listed & ~(1L << 10));
    checkPageAndBlock(Stage.STAGE_1, Prot.WRITE, listed);
  }

  @Test
  void stage1ReadOnlyNoExecOfTheRejectedOverlap() throws Exception {
    // nG|AP_RDONLY|AP_UNPRIV|SH_OS|XN|AF as the vector lists them.
    long expected = (1L << 11) | (1L << 7) | (1L << 6) | (2L << 8) | (3L << 53) | (1L << 10);
    assertThat(BITS.get("S1 map R|NOEXEC (overlap attempt, rejected)").asText())
        .contains("nG|AP_RDONLY(1<<7)|AP_UNPRIV|SH_OS|XN|AF");
    checkPageAndBlock(Stage.STAGE_1, Prot.READ | Prot.NOEXEC, expected);
  }

  @Test
  void stage2ReadWriteNoExecCache() throws Exception {
    checkPageAndBlock(
        Stage.STAGE_2,
        Prot.READ | Prot.WRITE | Prot.NOEXEC | Prot.CACHE,
        vectorBits("S2 map R|W|NOEXEC|CACHE"));
  }

  @Test
  void stage2WriteOnly() throws Exception {
    checkPageAndBlock(Stage.STAGE_2, Prot.WRITE, vectorBits("S2 map WRITE only"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    // S1 MMIO: nG|AP_UNPRIV|AttrIndx=2|SH_OS|AF
    "STAGE_1, 19, 0x0000000000000e48",
    // S1 PRIV|CACHE read/write: nG|AttrIndx=1|SH_IS|AF, no AP_UNPRIV
    "STAGE_1, 39, 0x0000000000000f04",
    // S1 MMIO|CACHE: device memory, but inner shareable because CACHE is set
    "STAGE_1, 23, 0x0000000000000f48",
    // S2 read-only MMIO: HAP_READ|MemAttr=1|SH_OS|AF
    "STAGE_2, 17, 0x0000000000000644",
    // S2 R|W|NOEXEC non-cacheable: HAP_READ|HAP_WRITE|MemAttr=5|SH_OS|AF|XN
    "STAGE_2, 11, 0x00600000000006d4",
    // S2 ignores PRIV
    "STAGE_2, 35, 0x00000000000006d4",
  })
  void attributesTheVectorsDoNotList(Stage stage, int prot, String bits) throws Exception {
    checkPageAndBlock(stage, prot, SharedVectors.hex(bits));
  }

  @Test
  void tableDescriptorIsNextTableAddressWithTypeBits() throws Exception {
    assertThat(BITS.get("table descriptor").asText()).startsWith("OA of next table | 0b11");
    Fixture f = new Fixture();
    IoPageTable table = f.table(Stage.STAGE_1, Granule.SIZE_4K, 48, 48);
    table.map(0, 0, 4096, Prot.READ);
    long pgdEntry = f.memory.read64(table.ttbr());
    assertThat(pgdEntry & 0b11).isEqualTo(0b11);
    long next = pgdEntry & ~0b11L;
    assertThat(f.allocator.allocationSize(next)).isEqualTo(4096);
    assertThat(pgdEntry & ~((1L << 48) - 1)).isZero();
  }

  @Test
  void mairIsTheVectorsValue() throws Exception {
    assertThat(BITS.get("MAIR (S1)").asText()).startsWith("0x00000000f404ff44");
    assertThat(PteEncoding.MAIR).isEqualTo(0xf404ff44L);
  }

  @Test
  void sixtyFourKilobytePagesKeepTheAddressInPlaceUpTo48Bits() throws Exception {
    Fixture f = new Fixture();
    IoPageTable table = f.table(Stage.STAGE_2, Granule.SIZE_64K, 48, 48);
    long pa = 0xfedc_ba98_0000L;
    table.map(0x10000, pa, 0x10000, Prot.WRITE);
    long expected = vectorBits("S2 map WRITE only") | PAGE_TYPE | pa;
    assertThat(table.leafAt(0x10000).orElseThrow().descriptor()).isEqualTo(expected);
  }

  /** Maps a 4K page (level 3) and a 2M block (level 2), and a 1G block (level 1). */
  private static void checkPageAndBlock(Stage stage, int prot, long bits) throws Exception {
    Fixture f = new Fixture();
    IoPageTable table = f.table(stage, Granule.SIZE_4K, 48, 48);
    long pagePa = 0x1234_5678_9000L;
    table.map(0x7000, pagePa, 4096, prot);
    MappedLeaf page = table.leafAt(0x7000).orElseThrow();
    assertThat(page.level()).isEqualTo(3);
    assertThat(page.descriptor()).isEqualTo(bits | PAGE_TYPE | pagePa);

    long blockPa = 0x0abc_de20_0000L;
    table.map(4 * MIB, blockPa, 2 * MIB, prot);
    MappedLeaf block = table.leafAt(4 * MIB).orElseThrow();
    assertThat(block.level()).isEqualTo(2);
    assertThat(block.descriptor()).isEqualTo(bits | BLOCK_TYPE | blockPa);

    long hugePa = 0x0fff_4000_0000L;
    table.map(3 * GIB, hugePa, GIB, prot);
    MappedLeaf huge = table.leafAt(3 * GIB).orElseThrow();
    assertThat(huge.level()).isEqualTo(1);
    assertThat(huge.descriptor()).isEqualTo(bits | BLOCK_TYPE | hugePa);
  }
}
