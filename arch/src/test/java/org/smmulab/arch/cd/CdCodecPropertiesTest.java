package org.smmulab.arch.cd;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.smmulab.arch.codec.Field;
import org.smmulab.arch.ste.CodecChecks;

/** Properties of the CD codec over arbitrary bit patterns and every field. */
class CdCodecPropertiesTest {
  @Provide
  Arbitrary<long[]> images() {
    return CodecChecks.images(Cd.QWORDS);
  }

  @Provide
  Arbitrary<Field> fields() {
    return Arbitraries.of(CdFields.LAYOUT.fields());
  }

  @Provide
  Arbitrary<Long> values() {
    return CodecChecks.qwordValues();
  }

  @Property(seed = "5318008")
  void decodeThenEncodeRoundTripsEveryPattern(@ForAll("images") long[] qwords) {
    Cd cd = Cd.decode(qwords);
    assertThat(cd.toQwords()).isEqualTo(qwords);
    assertThat(cd.toBuilder().build()).isEqualTo(cd).hasSameHashCodeAs(cd);
    assertThat(Cd.decode(qwords.clone())).isEqualTo(cd);
  }

  @Property(seed = "5318008")
  void settingAFieldChangesOnlyThatField(
      @ForAll("images") long[] start, @ForAll("fields") Field field, @ForAll("values") long value) {
    CodecChecks.assertSetChangesOnlyTheField(Cd.decode(start).toBuilder(), start, field, value);
  }

  @Property(seed = "5318008")
  void checkedBuilderAcceptsOnlyValuesThatFit(
      @ForAll("fields") Field field, @ForAll("values") long value) {
    CodecChecks.assertCheckedBuilderAcceptsOnlyFittingValues(Cd::checkedBuilder, field, value);
  }

  @Property(seed = "5318008")
  void describeNamesExactlyTheNonZeroFields(@ForAll("images") long[] qwords) {
    CodecChecks.assertDescribeNamesExactlyTheNonZeroFields(Cd.decode(qwords));
  }
}
