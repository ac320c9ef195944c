package org.smmulab.arch.pte;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AddressSizeTest {
  @Test
  void encodingsFromTheArchitecture() {
    int[] bits = {32, 36, 40, 42, 44, 48, 52};
    for (int enc = 0; enc < bits.length; enc++) {
      assertThat(AddressSize.bits(enc)).as("encoding %d", enc).isEqualTo(bits[enc]);
      assertThat(AddressSize.encodingFor(bits[enc])).isEqualTo(enc);
      assertThat(AddressSize.NAMES.nameOf(enc)).isEqualTo(bits[enc] + "-bit");
    }
  }

  @Test
  void reservedAndOutOfRange() {
    assertThat(AddressSize.bits(7)).isEqualTo(-1);
    assertThat(AddressSize.bits(-1)).isEqualTo(-1);
    assertThat(AddressSize.bits(1L << 40)).isEqualTo(-1);
    assertThat(AddressSize.NAMES.nameOf(7)).isEqualTo("reserved(7)");
    assertThat(AddressSize.NAMES.isNamed(7)).isFalse();
    assertThat(AddressSize.encodingFor(53)).isEqualTo(-1);
  }

  @Test
  void encodingForRoundsUpLikeIoPgtable() {
    assertThat(AddressSize.encodingFor(0)).isEqualTo(0);
    assertThat(AddressSize.encodingFor(33)).isEqualTo(1);
    assertThat(AddressSize.encodingFor(39)).isEqualTo(2);
    assertThat(AddressSize.encodingFor(41)).isEqualTo(3);
    assertThat(AddressSize.encodingFor(43)).isEqualTo(4);
    assertThat(AddressSize.encodingFor(45)).isEqualTo(5);
    assertThat(AddressSize.encodingFor(49)).isEqualTo(6);
  }
}
