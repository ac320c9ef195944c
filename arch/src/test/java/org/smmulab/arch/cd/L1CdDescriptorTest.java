package org.smmulab.arch.cd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.smmulab.arch.ste.CodecChecks;

/** The level-1 CD descriptor: round trips, Linux-style values, truncation and reserved bits. */
class L1CdDescriptorTest {
  @Property(seed = "5318008")
  void decodeEncodeRoundTripsEveryPattern(@ForAll long raw) {
    L1CdDescriptor d = L1CdDescriptor.decode(raw);
    assertThat(d.raw()).isEqualTo(raw);
    assertThat(d.toBuilder().build()).isEqualTo(d);
    assertThat(d.valid()).isEqualTo((raw & 1) != 0);
    assertThat(d.l2Table()).isEqualTo(raw & 0x000F_FFFF_FFFF_F000L);
    CodecChecks.assertDescribeNamesExactlyTheNonZeroFields(d);
  }

  @Test
  void linuxStyleDescriptorForA64KLeaf() {
    L1CdDescriptor d = L1CdDescriptor.of(0x8_1234_0000L);
    assertThat(d.raw()).isEqualTo(0x8_1234_0001L);
    assertThat(d.valid()).isTrue();
    assertThat(d.describe()).isEqualTo("L1CD V=1 L2Ptr=0x812340000");
  }

  @Test
  void lowAddressBitsAreDroppedOrRejected() {
    assertThat(L1CdDescriptor.of(0x1234_5FFFL).l2Table()).isEqualTo(0x1234_5000L);
    assertThatThrownBy(
            () -> L1CdDescriptor.checkedBuilder().set(L1CdDescriptor.L2PTR, 0x1234_5800L))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("L1CD.L2Ptr");
  }

  @Test
  void invalidDescriptorShowsItsReservedBits() {
    L1CdDescriptor d = L1CdDescriptor.decode(0xFF00_0000_0000_0FFEL);
    assertThat(d.valid()).isFalse();
    assertThat(d.l2Table()).isZero();
    assertThat(d.describe()).isEqualTo("L1CD q0.reserved=0xff00000000000ffe");
  }
}
