package org.smmulab.arch.ste;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import org.smmulab.arch.codec.Field;
import org.smmulab.arch.codec.Layout;
import org.smmulab.arch.codec.QwordImage;

/**
 * Property checks shared by the STE, CD and level-1 descriptor codecs. Expected values are computed
 * here from each field's position alone ({@code qword}, {@code lo}, {@code width}), independently
 * of the codec's own extract/insert code.
 */
public final class CodecChecks {
  private CodecChecks() {}

  /** Qword values that are sometimes dense, sometimes a single bit, sometimes zero. */
  public static Arbitrary<Long> qwordValues() {
    return Arbitraries.oneOf(
        Arbitraries.longs(),
        Arbitraries.integers().between(0, 63).map(bit -> 1L << bit),
        Arbitraries.just(0L));
  }

  /** Images of {@code size} qwords built from {@link #qwordValues()}. */
  public static Arbitrary<long[]> images(int size) {
    return qwordValues()
        .list()
        .ofSize(size)
        .map(list -> list.stream().mapToLong(Long::longValue).toArray());
  }

  /** {@code GENMASK(hi, lo)} of the field, from its position. */
  public static long maskOf(Field f) {
    return f.width() == 64 ? -1L : ((1L << f.width()) - 1) << f.lo();
  }

  /** What reading {@code f} from {@code image} must give, from the field's position. */
  public static long expectedValue(Field f, long[] image) {
    long inPlace = image[f.qword()] & maskOf(f);
    return f.isAddress() ? inPlace : inPlace >>> f.lo();
  }

  /** {@code value} truncated to {@code f} as {@code FIELD_PREP} (or an address mask) would. */
  public static long truncated(Field f, long value) {
    if (f.isAddress()) {
      return value & maskOf(f);
    }
    return f.width() == 64 ? value : value & ((1L << f.width()) - 1);
  }

  /**
   * Sets {@code f} to {@code value} on a builder started from {@code start} and checks that the
   * field reads back truncated while every other bit of the image is unchanged.
   */
  public static void assertSetChangesOnlyTheField(
      QwordImage.Builder<? extends QwordImage> fromStart, long[] start, Field f, long value) {
    QwordImage built = fromStart.set(f, value).build();
    long[] after = built.toQwords();
    assertThat(built.get(f)).isEqualTo(truncated(f, value));
    assertThat(expectedValue(f, after)).isEqualTo(truncated(f, value));
    for (int i = 0; i < start.length; i++) {
      long untouched = i == f.qword() ? ~maskOf(f) : -1L;
      assertThat(after[i] & untouched).as("q%d outside %s", i, f).isEqualTo(start[i] & untouched);
    }
    for (Field other : built.layout().fields()) {
      if (other != f) {
        assertThat(built.get(other)).as(other.name()).isEqualTo(expectedValue(other, start));
      }
    }
  }

  /**
   * A checked builder accepts exactly the values that survive truncation unchanged and otherwise
   * throws a message naming {@code STRUCT.FIELD}.
   */
  public static void assertCheckedBuilderAcceptsOnlyFittingValues(
      Supplier<QwordImage.Builder<? extends QwordImage>> checked, Field f, long value) {
    if (truncated(f, value) == value) {
      assertThat(checked.get().set(f, value).build().get(f)).isEqualTo(value);
    } else {
      String struct = checked.get().build().layout().name();
      assertThatThrownBy(() -> checked.get().set(f, value))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(struct + "." + f.name() + ":");
    }
  }

  /**
   * {@code describe()} starts with the structure name and lists, as {@code name=value} tokens,
   * exactly the non-zero fields and the qwords with stray reserved bits.
   */
  public static void assertDescribeNamesExactlyTheNonZeroFields(QwordImage image) {
    Layout layout = image.layout();
    long[] q = image.toQwords();
    Map<String, String> expected = new LinkedHashMap<>();
    long[] defined = new long[q.length];
    for (Field f : layout.fields()) {
      defined[f.qword()] |= maskOf(f);
      long v = expectedValue(f, q);
      if (v != 0) {
        expected.put(f.name(), f.format(v));
      }
    }
    for (int i = 0; i < q.length; i++) {
      if ((q[i] & ~defined[i]) != 0) {
        expected.put("q" + i + ".reserved", "0x" + Long.toHexString(q[i] & ~defined[i]));
      }
    }
    String text = image.describe();
    if (expected.isEmpty()) {
      assertThat(text).isEqualTo(layout.name() + " (all zero)");
      return;
    }
    assertThat(text).startsWith(layout.name() + " ");
    Map<String, String> described = new LinkedHashMap<>();
    for (String token : text.substring(layout.name().length() + 1).split(" ")) {
      int eq = token.indexOf('=');
      assertThat(eq).as("token %s of %s", token, text).isPositive();
      assertThat(described.put(token.substring(0, eq), token.substring(eq + 1))).isNull();
    }
    assertThat(described).containsExactlyEntriesOf(expected);
  }
}
