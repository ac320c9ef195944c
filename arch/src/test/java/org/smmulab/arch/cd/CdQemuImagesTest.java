package org.smmulab.arch.cd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.smmulab.arch.codec.Layout;
import org.smmulab.arch.codec.QwordImage;
import org.smmulab.arch.ste.KernelFieldTable;
import org.smmulab.arch.ste.KunitEntries;
import org.smmulab.arch.testing.SharedVectors;

/**
 * Rebuilds the CD of QEMU's SMMUv3 qtest from the vectors' field table and compares it with the
 * image of every mode that uses a CD (S1_ONLY and NESTED share one).
 */
class CdQemuImagesTest {
  private static final JsonNode QTEST = SharedVectors.load("qemu-smmuv3-qtest.json");

  private static long[] rebuild() {
    QwordImage.Builder<Cd> builder = Cd.builder();
    for (Map.Entry<String, JsonNode> field : QTEST.get("cd_fields").properties()) {
      if (field.getKey().equals("TBI")) {
        // The table gives TBI[1:0] as one value; our layout has TBI0 (bit 38) and TBI1 (bit 39).
        long tbi = KernelFieldTable.parseValue(field.getValue().asText());
        builder.set(CdFields.TBI0, tbi & 1).set(CdFields.TBI1, tbi >> 1);
      } else {
        KunitEntries.CD_TABLE.applyNamed(builder, field.getKey(), field.getValue());
      }
    }
    return builder.build().toQwords();
  }

  @Test
  void rebuiltFromTheFieldTableMatchesEveryQtestCdImage() {
    int compared = 0;
    for (Map.Entry<String, JsonNode> mode : QTEST.get("modes").properties()) {
      JsonNode cd = mode.getValue().get("cd_qwords");
      if (cd.isNull()) {
        continue;
      }
      assertThat(Layout.hex(rebuild()))
          .as(mode.getKey())
          .isEqualTo(Layout.hex(SharedVectors.qwords(cd)));
      compared++;
    }
    assertThat(compared).isEqualTo(2);
  }

  @Test
  void theQtestCdDecodesToItsFields() {
    Cd cd = Cd.decode(rebuild());
    assertThat(cd.asid()).isEqualTo(0x1e20);
    assertThat(cd.t0sz()).isEqualTo(0x10);
    assertThat(cd.outputBits()).isEqualTo(44);
    assertThat(cd.ttb0()).isEqualTo(0x4e4d0000L);
    assertThat(cd.get(CdFields.NSCFG0)).isEqualTo(1);
    assertThat(cd.get(CdFields.NSCFG1)).isEqualTo(1);
    assertThat(cd.describe())
        .isEqualTo(
            "CD T0SZ=0x10 EPD1=1 V=1 IPS=44-bit AA64=1 R=1 A=1 ASID=0x1e20 NSCFG0=1"
                + " TTB0=0x4e4d0000 NSCFG1=1");
  }
}
