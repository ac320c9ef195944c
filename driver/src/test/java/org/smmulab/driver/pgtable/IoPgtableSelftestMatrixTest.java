package org.smmulab.driver.pgtable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.smmulab.driver.pgtable.Fixture.GIB;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.smmulab.arch.pte.Stage;
import org.smmulab.arch.testing.SharedVectors;

/**
 * The Linux io-pgtable-arm selftest matrix, from {@code io-pgtable-selftests.json}: 63 configs,
 * each as stage 1 and stage 2, checking the derived geometry and running the selftest sequence.
 */
class IoPgtableSelftestMatrixTest {
  private static final JsonNode VECTORS = SharedVectors.load("io-pgtable-selftests.json");
  private static final int RW_NOEXEC_CACHE = Prot.READ | Prot.WRITE | Prot.NOEXEC | Prot.CACHE;

  @Test
  void matrixHasSixtyThreeConfigs() {
    assertThat(VECTORS.get("configs")).hasSize(63);
  }

  @TestFactory
  Stream<DynamicTest> everyConfigInBothStages() {
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode vector : VECTORS.get("configs")) {
      for (Stage stage : Stage.values()) {
        PageTableConfig config =
            PageTableConfig.ofPageSizes(
                stage,
                Fixture.pageSizes(vector.get("pgsize_bitmap").asText()),
                vector.get("ias").asInt(),
                vector.get("oas").asInt());
        tests.add(DynamicTest.dynamicTest(config.toString(), () -> run(config, vector)));
      }
    }
    assertThat(tests).hasSize(126);
    return tests.stream();
  }

  private static void run(PageTableConfig config, JsonNode vector) throws Exception {
    Fixture fixture = new Fixture();
    IoPageTable table = fixture.table(config);
    checkGeometry(table, vector);
    runSequence(table, vector);
    table.destroy();
    assertThat(fixture.allocator.bytesInUse()).isZero();
    assertThat(fixture.allocator.allocationsOutstanding()).isZero();
  }

  private static void checkGeometry(IoPageTable table, JsonNode vector) {
    PageTableGeometry g = table.geometry();
    assertThat(g.tableBytes()).isEqualTo(vector.get("granule").asLong());
    if (table.config().stage() == Stage.STAGE_1) {
      JsonNode s1 = vector.get("s1");
      assertThat(g.startLevel()).as("start level").isEqualTo(s1.get("start_level").asInt());
      assertThat(g.levels()).as("levels").isEqualTo(s1.get("levels").asInt());
      assertThat(g.pgdEntries()).as("pgd entries").isEqualTo(s1.get("pgd_entries").asLong());
      assertThat(g.pgdBytes()).as("pgd bytes").isEqualTo(s1.get("pgd_bytes").asLong());
      assertThat(g.concatenated()).isFalse();
      JsonNode tcr = s1.get("tcr");
      assertThat(table.tcr())
          .isEqualTo(
              new Tcr(
                  tcr.get("tsz").asInt(),
                  tcr.get("tg").asInt(),
                  tcr.get("ips").asInt(),
                  tcr.get("sh").asInt(),
                  tcr.get("irgn").asInt(),
                  tcr.get("orgn").asInt()));
      assertThat(table.mair()).isEqualTo(SharedVectors.hex(s1.get("mair")));
    } else {
      JsonNode s2 = vector.get("s2");
      assertThat(s2.get("alloc_fails").asBoolean()).isFalse();
      assertThat(g.startLevel()).as("start level").isEqualTo(s2.get("start_level").asInt());
      assertThat(g.concatenated()).as("concatenated").isEqualTo(s2.get("concatenated").asBoolean());
      assertThat(g.concatenatedTables())
          .as("concatenated tables")
          .isEqualTo(s2.get("concat_tables").asInt());
      assertThat(g.pgdEntries()).as("pgd entries").isEqualTo(s2.get("pgd_entries").asLong());
      assertThat(g.pgdBytes()).as("pgd bytes").isEqualTo(s2.get("pgd_bytes").asLong());
      JsonNode vtcr = s2.get("vtcr");
      assertThat(table.vtcr())
          .isEqualTo(
              new Vtcr(
                  vtcr.get("tsz").asInt(),
                  vtcr.get("sl").asInt(),
                  vtcr.get("tg").asInt(),
                  vtcr.get("ps").asInt(),
                  vtcr.get("sh").asInt(),
                  vtcr.get("irgn").asInt(),
                  vtcr.get("orgn").asInt()));
    }
  }

  private static void runSequence(IoPageTable table, JsonNode vector) throws Exception {
    List<Long> sizes = new ArrayList<>();
    vector.get("leaf_level_per_pgsize").fieldNames().forEachRemaining(k -> sizes.add(hex(k)));
    sizes.sort(null);
    long bitmap = 0;
    for (long size : sizes) {
      bitmap |= size;
    }
    assertThat(table.config().pgsizeBitmap()).isEqualTo(bitmap);

    assertThat(table.iovaToPhys(42)).isZero();
    assertThat(table.iovaToPhys(GIB + 42)).isZero();
    assertThat(table.iovaToPhys(2 * GIB + 42)).isZero();

    long iova = 0;
    for (long size : sizes) {
      table.map(iova, iova, size, RW_NOEXEC_CACHE);
      long at = iova;
      assertThatThrownBy(() -> table.map(at, at + size, size, Prot.READ | Prot.NOEXEC))
          .isInstanceOf(AlreadyMappedException.class);
      assertThat(table.iovaToPhys(iova + 42)).isEqualTo(iova + 42);
      int level = vector.get("leaf_level_per_pgsize").get(String.format("0x%x", size)).asInt();
      assertThat(table.leafAt(iova + 42).orElseThrow().level()).isEqualTo(level);
      iova += GIB;
    }
    assertThat(table.walk(leaf -> {}).leaves()).isEqualTo(sizes.size());

    iova = 0;
    for (long size : sizes) {
      assertThat(table.unmap(iova, size).unmappedBytes()).isEqualTo(size);
      assertThat(table.iovaToPhys(iova + 42)).isZero();
      table.map(iova, iova, size, Prot.WRITE);
      assertThat(table.iovaToPhys(iova + 42)).isEqualTo(iova + 42);
      iova += GIB;
    }

    long largest = Long.highestOneBit(bitmap);
    JsonNode last = vector.get("last_page");
    assertThat(largest).isEqualTo(last.get("size").asLong());
    long top = (1L << table.config().ias()) - largest;
    assertThat(top).isEqualTo(last.get("iova").asLong());
    table.map(top, top, largest, RW_NOEXEC_CACHE);
    assertThat(table.iovaToPhys(top + 42)).isEqualTo(top + 42);
    assertThat(table.unmap(top, largest).unmappedBytes()).isEqualTo(largest);
    assertThat(table.iovaToPhys(top + 42)).isZero();
  }

  private static long hex(String text) {
    return SharedVectors.hex(text);
  }
}
