package org.smmulab.driver.entry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.smmulab.arch.testing.SharedVectors;

/** Used-bit masks against the KUnit {@code used_bits_examples}, and the update-safe rules. */
class UsedBitsTest {
  @Test
  void usedBitsEqualEveryPublishedExample() {
    JsonNode examples = KunitEntries.VECTORS.get("used_bits_examples");
    Map<String, EntryKind> kinds = KunitEntries.kinds();
    int checked = 0;
    for (Iterator<String> names = examples.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      assertThat(kinds).as("kind of %s", name).containsKey(name);
      long[] expected = SharedVectors.qwords(examples.get(name));
      assertThat(kinds.get(name).usedBits(KunitEntries.entry(name))).as(name).isEqualTo(expected);
      checked++;
    }
    assertThat(checked).isEqualTo(examples.size()).isGreaterThanOrEqualTo(8);
  }

  @Test
  void mevIsAlwaysSafeAndEatsFullOnlyWithoutS1chkOrS2s() {
    long[] plain = KunitEntries.entry("s2_plain");
    long[] stall = KunitEntries.entry("s2_stall");
    long mev = 1L << 19;
    long eatsFull = 1L << 28;
    assertThat(UsedBits.steUpdateSafe(plain, plain)[1]).isEqualTo(mev | eatsFull);
    assertThat(UsedBits.steUpdateSafe(plain, stall)[1]).isEqualTo(mev);
    long[] s1chk = plain.clone();
    s1chk[1] |= 1L << 29;
    assertThat(UsedBits.steUpdateSafe(s1chk, plain)[1]).isEqualTo(mev);
    assertThat(UsedBits.steUpdateSafe(plain, plain)).containsOnly(0L, mev | eatsFull);
  }

  @Test
  void cdHasNoUpdateSafeBits() {
    long[] cd = KunitEntries.entry("s1_cd_asid1997");
    assertThat(EntryKind.CD.updateSafe(cd, new long[8])).containsOnly(0L);
  }

  @Test
  void invalidSteUsesOnlyValidWhateverElseIsSet() {
    long[] junk = new long[8];
    java.util.Arrays.fill(junk, -2L);
    assertThat(UsedBits.ste(junk)).containsExactly(1L, 0, 0, 0, 0, 0, 0, 0);
  }
}
