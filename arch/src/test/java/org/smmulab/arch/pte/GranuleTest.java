package org.smmulab.arch.pte;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GranuleTest {
  @Test
  void levelShiftsFromTheGeometryTable() {
    // Section 6 of the hardware model notes: 4K L0..L3, 16K L0..L3, 64K L1..L3.
    assertThat(Granule.SIZE_4K.levelShift(0)).isEqualTo(39);
    assertThat(Granule.SIZE_4K.levelShift(1)).isEqualTo(30);
    assertThat(Granule.SIZE_4K.levelShift(2)).isEqualTo(21);
    assertThat(Granule.SIZE_4K.levelShift(3)).isEqualTo(12);
    assertThat(Granule.SIZE_16K.levelShift(0)).isEqualTo(47);
    assertThat(Granule.SIZE_16K.levelShift(1)).isEqualTo(36);
    assertThat(Granule.SIZE_16K.levelShift(2)).isEqualTo(25);
    assertThat(Granule.SIZE_16K.levelShift(3)).isEqualTo(14);
    assertThat(Granule.SIZE_64K.levelShift(1)).isEqualTo(42);
    assertThat(Granule.SIZE_64K.levelShift(2)).isEqualTo(29);
    assertThat(Granule.SIZE_64K.levelShift(3)).isEqualTo(16);
  }

  @Test
  void blockSizesFromTheGeometryTable() {
    assertThat(Granule.SIZE_4K.levelSize(1)).isEqualTo(1L << 30); // 1 GiB
    assertThat(Granule.SIZE_4K.levelSize(2)).isEqualTo(2L << 20); // 2 MiB
    assertThat(Granule.SIZE_4K.levelSize(3)).isEqualTo(4096);
    assertThat(Granule.SIZE_16K.levelSize(2)).isEqualTo(32L << 20); // 32 MiB
    assertThat(Granule.SIZE_64K.levelSize(2)).isEqualTo(512L << 20); // 512 MiB
    assertThat(Granule.SIZE_64K.levelSize(1)).isEqualTo(4L << 40); // 4 TiB
  }

  @Test
  void sizesAndStrides() {
    assertThat(Granule.SIZE_4K.size()).isEqualTo(4096);
    assertThat(Granule.SIZE_16K.size()).isEqualTo(16384);
    assertThat(Granule.SIZE_64K.size()).isEqualTo(65536);
    assertThat(Granule.SIZE_4K.stride()).isEqualTo(9);
    assertThat(Granule.SIZE_16K.stride()).isEqualTo(11);
    assertThat(Granule.SIZE_64K.stride()).isEqualTo(13);
    assertThat(Granule.SIZE_4K.shift()).isEqualTo(12);
    assertThat(Granule.SIZE_16K.shift()).isEqualTo(14);
    assertThat(Granule.SIZE_64K.shift()).isEqualTo(16);
    assertThat(Granule.SIZE_16K).hasToString("16K");
  }

  @Test
  void blocksOnlyWhereTheGeometryTableAllowsThem() {
    boolean[][] allowed = {
      {false, true, true, false}, // 4K: L1, L2
      {false, false, true, false}, // 16K: L2
      {false, false, true, false}, // 64K: L2 (L1 needs 52-bit OA)
    };
    Granule[] granules = {Granule.SIZE_4K, Granule.SIZE_16K, Granule.SIZE_64K};
    for (int g = 0; g < 3; g++) {
      for (int level = 0; level < 4; level++) {
        assertThat(granules[g].blockAllowed(level))
            .as("%s L%d", granules[g], level)
            .isEqualTo(allowed[g][level]);
      }
    }
  }

  @Test
  void encodingsInEveryPlace() {
    // CD.TG0 / STE.S2TG: 0 4K, 1 64K, 2 16K.
    assertThat(Granule.fromTg0(0)).isEqualTo(Granule.SIZE_4K);
    assertThat(Granule.fromTg0(1)).isEqualTo(Granule.SIZE_64K);
    assertThat(Granule.fromTg0(2)).isEqualTo(Granule.SIZE_16K);
    assertThat(Granule.fromTg0(3)).isNull();
    // CD.TG1: 1 16K, 2 4K, 3 64K.
    assertThat(Granule.fromTg1(0)).isNull();
    assertThat(Granule.fromTg1(1)).isEqualTo(Granule.SIZE_16K);
    assertThat(Granule.fromTg1(2)).isEqualTo(Granule.SIZE_4K);
    assertThat(Granule.fromTg1(3)).isEqualTo(Granule.SIZE_64K);
    // TLBI range TG: 1 4K, 2 16K, 3 64K, 0 no range.
    assertThat(Granule.fromTlbi(0)).isNull();
    assertThat(Granule.fromTlbi(1)).isEqualTo(Granule.SIZE_4K);
    assertThat(Granule.fromTlbi(2)).isEqualTo(Granule.SIZE_16K);
    assertThat(Granule.fromTlbi(3)).isEqualTo(Granule.SIZE_64K);
    for (Granule g : Granule.values()) {
      assertThat(Granule.fromTg0(g.tg0Encoding())).isEqualTo(g);
      assertThat(Granule.fromTg1(g.tg1Encoding())).isEqualTo(g);
      assertThat(Granule.fromTlbi(g.tlbiEncoding())).isEqualTo(g);
      assertThat(Granule.ofSize(g.size())).isEqualTo(g);
    }
    assertThat(Granule.ofSize(8192)).isNull();
    assertThat(Granule.fromTg0(-1)).isNull();
  }
}
