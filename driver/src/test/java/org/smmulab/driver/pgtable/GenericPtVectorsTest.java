package org.smmulab.driver.pgtable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.smmulab.arch.pte.Granule;
import org.smmulab.arch.pte.Stage;
import org.smmulab.arch.testing.SharedVectors;

/**
 * The format-agnostic generic page-table vectors, run on every matrix config (both stages) where
 * they apply: {@code test_mixed} needs 2M and 1G pages, {@code test_pgsize_boundary} a 4K granule
 * (other granules must reject its 4K-aligned PA), {@code test_map_simple} applies everywhere.
 */
class GenericPtVectorsTest {
  private static final JsonNode ROOT = SharedVectors.load("io-pgtable-selftests.json");
  private static final JsonNode VECTORS = generic();
  private static final int RW = Prot.READ | Prot.WRITE;

  private static JsonNode generic() {
    for (var it = ROOT.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (name.startsWith("generic_pt_vectors")) {
        return ROOT.get(name);
      }
    }
    throw new AssertionError("generic_pt_vectors missing from the io-pgtable vectors");
  }

  private static List<PageTableConfig> configs() {
    List<PageTableConfig> out = new ArrayList<>();
    for (JsonNode v : ROOT.get("configs")) {
      for (Stage stage : Stage.values()) {
        out.add(
            PageTableConfig.ofPageSizes(
                stage,
                Fixture.pageSizes(v.get("pgsize_bitmap").asText()),
                v.get("ias").asInt(),
                v.get("oas").asInt()));
      }
    }
    return out;
  }

  private static boolean fits(long base, long length, int bits) {
    return ((base + length - 1) >>> bits) == 0;
  }

  @TestFactory
  Stream<DynamicTest> testMixed() {
    JsonNode map = VECTORS.get("test_mixed").get("map");
    long va = SharedVectors.hex(map.get("va"));
    long pa = SharedVectors.hex(map.get("pa"));
    long len = SharedVectors.hex(map.get("len"));
    int expected = VECTORS.get("test_mixed").get("expect_valid_leaf_entries").asInt();
    List<DynamicTest> tests = new ArrayList<>();
    for (PageTableConfig c : configs()) {
      if (c.granule() == Granule.SIZE_4K && fits(va, len, c.ias()) && fits(pa, len, c.oas())) {
        tests.add(
            DynamicTest.dynamicTest(
                "test_mixed " + c,
                () -> {
                  IoPageTable table = new Fixture().table(c);
                  table.map(va, pa, len, RW);
                  List<Long> sizes = new ArrayList<>();
                  WalkSummary summary = table.walk(leaf -> sizes.add(leaf.size()));
                  assertThat(summary.leaves()).isEqualTo(expected);
                  List<Long> breakdown = new ArrayList<>();
                  for (int i = 0; i < 14; i++) {
                    breakdown.add(2L << 20);
                  }
                  breakdown.addAll(
                      List.of(1L << 30, 1L << 30, 1L << 30, 2L << 20, 2L << 20, 2L << 20));
                  assertThat(sizes).isEqualTo(breakdown);
                  for (long off = 0; off < len; off += 1L << 21) {
                    assertThat(table.iovaToPhys(va + off + 42)).isEqualTo(pa + off + 42);
                  }
                  assertThat(table.iovaToPhys(va + len - 1)).isEqualTo(pa + len - 1);
                  assertThat(table.iovaToPhys(va + len)).isZero();
                  assertThat(table.iovaToPhys(va - 1)).isZero();
                }));
      }
    }
    assertThat(tests).isNotEmpty();
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> testPgsizeBoundary() {
    JsonNode map = VECTORS.get("test_pgsize_boundary").get("map");
    long va = SharedVectors.hex(map.get("va"));
    long pa = SharedVectors.hex(map.get("pa"));
    long len = SharedVectors.hex(map.get("len"));
    List<DynamicTest> tests = new ArrayList<>();
    for (PageTableConfig c : configs()) {
      if (!fits(va, len, c.ias()) || !fits(pa, len, c.oas())) {
        continue;
      }
      tests.add(
          DynamicTest.dynamicTest(
              "test_pgsize_boundary " + c,
              () -> {
                IoPageTable table = new Fixture().table(c);
                if (c.granule() != Granule.SIZE_4K) {
                  assertThatThrownBy(() -> table.map(va, pa, len, RW))
                      .isInstanceOf(IllegalArgumentException.class)
                      .hasMessageContaining("not aligned");
                  return;
                }
                table.map(va, pa, len, RW);
                List<MappedLeaf> leaves = new ArrayList<>();
                table.walk(leaves::add);
                assertThat(leaves).hasSize((int) (len / 4096));
                assertThat(leaves).allMatch(l -> l.size() == 4096 && l.level() == 3);
                for (long off = 0; off < len; off += 4096) {
                  assertThat(table.iovaToPhys(va + off + 7)).isEqualTo(pa + off + 7);
                }
              }));
    }
    assertThat(tests).isNotEmpty();
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> testMapSimple() {
    assertThat(VECTORS.get("test_map_simple").asText()).contains("each size appears exactly once");
    return configs().stream()
        .map(
            c ->
                DynamicTest.dynamicTest(
                    "test_map_simple " + c,
                    () -> {
                      IoPageTable table = new Fixture().table(c);
                      List<Long> sizes = new ArrayList<>();
                      long va = 0;
                      for (long rest = c.pgsizeBitmap(); rest != 0; rest &= rest - 1) {
                        long size = Long.lowestOneBit(rest);
                        va = (va + size - 1) & -size;
                        table.map(va, va, size, RW);
                        sizes.add(size);
                        va += size;
                      }
                      List<Long> seen = new ArrayList<>();
                      table.walk(leaf -> seen.add(leaf.size()));
                      assertThat(seen).containsExactlyInAnyOrderElementsOf(sizes);
                      va = 0;
                      for (long size : sizes) {
                        va = (va + size - 1) & -size;
                        assertThat(table.unmap(va, size).unmappedBytes()).isEqualTo(size);
                        va += size;
                      }
                      assertThat(table.walk(leaf -> {}).leaves()).isZero();
                    }));
  }
}
