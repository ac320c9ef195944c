package org.smmulab.bench.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.smmulab.arch.bus.BusAbort;

class MemoryFootprintTest {
  @Test
  void denselyTouchedMemoryCostsLessThanFivePercentMoreThanItsBytes() throws BusAbort {
    MemoryFootprint.Report report = MemoryFootprint.measure(16L << 20);

    assertThat(report.touchedBytes()).isEqualTo(16L << 20);
    assertThat(report.measuredOverheadPercent()).isBetween(0.0, 5.0);
    assertThat(report.estimatedOverheadPercent()).isBetween(0.0, 5.0);
    // The estimate follows the real object graph closely (it leaves out a few small objects).
    assertThat((double) report.estimatedBytes() / report.measuredBytes()).isBetween(0.99, 1.01);
    assertThat(report.toString()).startsWith("touched 16 MiB: estimate ");
  }

  @Test
  void regionMustBeWholeFrames() {
    assertThatThrownBy(() -> MemoryFootprint.measure(4097))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("4097 bytes");
  }
}
