package org.smmulab.arch.ste;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.smmulab.arch.codec.Layout;
import org.smmulab.arch.codec.QwordImage;
import org.smmulab.arch.testing.SharedVectors;

/**
 * Rebuilds the STE of QEMU's SMMUv3 qtest (S1_ONLY, S2_ONLY, NESTED) from the vectors' field table
 * and compares the eight qwords exactly.
 */
class SteQemuImagesTest {
  private static final JsonNode QTEST = SharedVectors.load("qemu-smmuv3-qtest.json");
  private static final Pattern MODE_CONFIG = Pattern.compile("(\\d+) (\\w+)");

  static Stream<String> modes() {
    Iterable<String> names = () -> QTEST.get("modes").fieldNames();
    return StreamSupport.stream(names.spliterator(), false);
  }

  /** The Config value per mode, read from {@code "5 S1_ONLY / 6 S2_ONLY / 7 NESTED"}. */
  private static Map<String, Long> configByMode() {
    Map<String, Long> out = new HashMap<>();
    Matcher m = MODE_CONFIG.matcher(QTEST.get("ste_fields").get("CONFIG").asText());
    while (m.find()) {
      out.put(m.group(2), Long.parseLong(m.group(1)));
    }
    return out;
  }

  @ParameterizedTest
  @MethodSource("modes")
  void rebuiltFromTheFieldTableMatchesTheQtestImage(String mode) {
    QwordImage.Builder<Ste> builder = Ste.builder();
    for (Map.Entry<String, JsonNode> field : QTEST.get("ste_fields").properties()) {
      switch (field.getKey()) {
        case "CONFIG":
          builder.set(SteFields.CONFIG, configByMode().get(mode));
          break;
        case "sid":
          // Where the STE sits in the table, not a field of it.
          break;
        default:
          KunitEntries.STE_TABLE.applyNamed(builder, field.getKey(), field.getValue());
      }
    }
    long[] expected = SharedVectors.qwords(QTEST.get("modes").get(mode).get("ste_qwords"));
    assertThat(Layout.hex(builder.build().toQwords())).isEqualTo(Layout.hex(expected));
    assertThat(Ste.decode(expected).config())
        .isEqualTo(
            Map.of(
                    "S1_ONLY", StreamConfig.S1_TRANSLATE,
                    "S2_ONLY", StreamConfig.S2_TRANSLATE,
                    "NESTED", StreamConfig.NESTED)
                .get(mode));
  }
}
