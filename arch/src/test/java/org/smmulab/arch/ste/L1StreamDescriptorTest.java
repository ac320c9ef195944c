package org.smmulab.arch.ste;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class L1StreamDescriptorTest {
  @Property(seed = "4866")
  void decodeEncodeRoundTripsEveryPattern(@ForAll long raw) {
    L1StreamDescriptor d = L1StreamDescriptor.decode(raw);
    assertThat(d.raw()).isEqualTo(raw);
    assertThat(L1StreamDescriptor.decode(d.raw())).isEqualTo(d);
    assertThat(d.describe()).startsWith("L1STD");
  }

  @Test
  void linuxStyleDescriptorForA256EntryLeaf() {
    // Linux writes SPAN = SPLIT + 1 = 9 for a 256-entry leaf; the leaf is 64-byte aligned.
    L1StreamDescriptor d = L1StreamDescriptor.of(0x8000_1000L, 9);
    assertThat(d.raw()).isEqualTo(0x8000_1009L);
    assertThat(d.l2Entries()).isEqualTo(256);
    assertThat(d.describe()).isEqualTo("L1STD SPAN=9 L2Ptr=0x80001000");
  }

  @Test
  void spanZeroIsInvalidAndReservedBitsAreShown() {
    L1StreamDescriptor d = L1StreamDescriptor.decode(0xF000_0000_0000_0020L);
    assertThat(d.valid()).isFalse();
    assertThat(d.l2Entries()).isZero();
    assertThat(d.describe()).contains("q0.reserved=0xf000000000000020");
  }
}
