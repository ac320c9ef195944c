package org.smmulab.arch.ste;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.smmulab.arch.codec.Field;

/** Properties of the STE codec over arbitrary bit patterns and every field. */
class SteCodecPropertiesTest {
  @Provide
  Arbitrary<long[]> images() {
    return CodecChecks.images(Ste.QWORDS);
  }

  @Provide
  Arbitrary<Field> fields() {
    return Arbitraries.of(SteFields.LAYOUT.fields());
  }

  @Provide
  Arbitrary<Long> values() {
    return CodecChecks.qwordValues();
  }

  @Property(seed = "5318008")
  void decodeThenEncodeRoundTripsEveryPattern(@ForAll("images") long[] qwords) {
    Ste ste = Ste.decode(qwords);
    assertThat(ste.toQwords()).isEqualTo(qwords);
    assertThat(ste.toBuilder().build()).isEqualTo(ste).hasSameHashCodeAs(ste);
    assertThat(Ste.decode(qwords.clone())).isEqualTo(ste);
  }

  @Property(seed = "5318008")
  void settingAFieldChangesOnlyThatField(
      @ForAll("images") long[] start, @ForAll("fields") Field field, @ForAll("values") long value) {
    CodecChecks.assertSetChangesOnlyTheField(Ste.decode(start).toBuilder(), start, field, value);
  }

  @Property(seed = "5318008")
  void checkedBuilderAcceptsOnlyValuesThatFit(
      @ForAll("fields") Field field, @ForAll("values") long value) {
    CodecChecks.assertCheckedBuilderAcceptsOnlyFittingValues(Ste::checkedBuilder, field, value);
  }

  @Property(seed = "5318008")
  void describeNamesExactlyTheNonZeroFields(@ForAll("images") long[] qwords) {
    CodecChecks.assertDescribeNamesExactlyTheNonZeroFields(Ste.decode(qwords));
  }

  @Property(seed = "5318008")
  void configDecodesEveryEncodingWithoutThrowing(@ForAll("images") long[] qwords) {
    Ste ste = Ste.decode(qwords);
    StreamConfig config = ste.config();
    assertThat(config.passesTraffic()).isEqualTo((ste.configEncoding() & 0b100) != 0);
    assertThat(config.s1Translates())
        .isEqualTo(config.passesTraffic() && (ste.configEncoding() & 1) != 0);
    assertThat(config.s2Translates())
        .isEqualTo(config.passesTraffic() && (ste.configEncoding() & 2) != 0);
  }
}
