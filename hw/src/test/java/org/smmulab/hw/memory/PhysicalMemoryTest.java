package org.smmulab.hw.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.smmulab.arch.bus.BusAbort;

class PhysicalMemoryTest {
  @Test
  void unwrittenMemoryReadsZeroAndReadingAllocatesNothing() throws BusAbort {
    PhysicalMemory memory = new PhysicalMemory(48);
    long footprintBefore = memory.footprintBytes();

    assertThat(memory.read64(0x1234_5678_9000L)).isZero();
    assertThat(memory.read32(0xffff_ffff_fffcL)).isZero();
    assertThat(memory.read8(0x7_0000_0001L)).isZero();
    byte[] dst = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    memory.read(0x8000_0ffcL, dst, 1, 8);
    assertThat(dst).containsExactly(1, 0, 0, 0, 0, 0, 0, 0, 0, 10);

    assertThat(memory.touchedFrames()).isZero();
    assertThat(memory.footprintBytes()).isEqualTo(footprintBefore);
    assertThat(memory.isBacked(0x1234_5678_9000L)).isFalse();
  }

  @Test
  void firstNonZeroWriteAllocatesOneFrameAndBacksOnlyThatFrame() throws BusAbort {
    PhysicalMemory memory = new PhysicalMemory(48);
    long footprintBefore = memory.footprintBytes();

    memory.write64(0x4000_2ff8L, 0xdead_beefL);

    assertThat(memory.touchedFrames()).isEqualTo(1);
    assertThat(memory.touchedBytes()).isEqualTo(4096);
    assertThat(memory.isBacked(0x4000_2000L)).isTrue();
    assertThat(memory.isBacked(0x4000_2fffL)).isTrue();
    assertThat(memory.isBacked(0x4000_1fffL)).isFalse();
    assertThat(memory.isBacked(0x4000_3000L)).isFalse();
    // One frame (4096 bytes and a header) plus a middle and a leaf directory.
    assertThat(memory.footprintBytes() - footprintBefore).isGreaterThan(4096);
    assertThat(memory.read64(0x4000_2ff8L)).isEqualTo(0xdead_beefL);
  }

  @Test
  void writingZerosIntoUnbackedFramesAllocatesNothing() throws BusAbort {
    PhysicalMemory memory = new PhysicalMemory(40);

    memory.write64(0x1000, 0);
    memory.write32(0x2004, 0);
    memory.write8(0x3007, (byte) 0);
    memory.write(0x4000, new byte[3 * 4096], 0, 3 * 4096);
    assertThat(memory.compareAndSet64(0x8000, 0, 0)).isTrue();
    assertThat(memory.compareAndSet64(0x9000, 5, 6)).isFalse();

    assertThat(memory.touchedFrames()).isZero();
    assertThat(memory.read64(0x9000)).isZero();
  }

  @Test
  void zerosOverwriteExistingDataInBackedFrames() throws BusAbort {
    PhysicalMemory memory = new PhysicalMemory(40);
    memory.write64(0x1000, -1L);
    memory.write64(0x1008, -1L);

    memory.write64(0x1000, 0);
    memory.write(0x1008, new byte[4], 0, 4);

    assertThat(memory.read64(0x1000)).isZero();
    assertThat(memory.read64(0x1008)).isEqualTo(0xffff_ffff_0000_0000L);
  }

  @Test
  void write64IsLittleEndianForEveryNarrowerRead() throws BusAbort {
    PhysicalMemory memory = new PhysicalMemory(32);
    memory.write64(0x100, 0x0807_0605_0403_0201L);

    for (int i = 0; i < 8; i++) {
      assertThat(memory.read8(0x100 + i)).as("byte %d", i).isEqualTo((byte) (i + 1));
    }
    assertThat(memory.read32(0x100)).isEqualTo(0x0403_0201);
    assertThat(memory.read32(0x104)).isEqualTo(0x0807_0605);
    byte[] bulk = new byte[8];
    memory.read(0x100, bulk, 0, 8);
    assertThat(bulk).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
  }

  @Test
  void byteAnd32BitWritesComposeLittleEndianWords() throws BusAbort {
    PhysicalMemory memory = new PhysicalMemory(32);
    memory.write32(0x204, 0xcafe_f00d);
    memory.write8(0x200, (byte) 0x11);
    memory.write8(0x203, (byte) 0x44);

    assertThat(memory.read64(0x200)).isEqualTo(0xcafe_f00d_4400_0011L);
    assertThat(memory.read32(0x200)).isEqualTo(0x4400_0011);
    assertThat(memory.read8(0x207)).isEqualTo((byte) 0xca);

    memory.write(0x301, new byte[] {(byte) 0xaa, (byte) 0xbb, (byte) 0xcc}, 0, 3);
    assertThat(memory.read64(0x300)).isEqualTo(0x0000_0000_ccbb_aa00L);
  }

  @Test
  void bulkAccessCrossesFramesAndKeepsNeighbouringBytes() throws BusAbort {
    PhysicalMemory memory = new PhysicalMemory(36);
    memory.write64(0x1ff0, 0x1111_1111_1111_1111L);
    memory.write64(0x3008, 0x2222_2222_2222_2222L);
    byte[] src = new byte[4096 + 20];
    for (int i = 0; i < src.length; i++) {
      src[i] = (byte) (i * 7 + 3);
    }

    // From 0x1ff3 to 0x3006 inclusive: three frames, ragged words at both ends.
    memory.write(0x1ff3, src, 0, src.length);

    assertThat(memory.touchedFrames()).isEqualTo(3);
    assertThat(memory.read8(0x1ff2)).isEqualTo((byte) 0x11);
    assertThat(memory.read8(0x1ff3)).isEqualTo(src[0]);
    assertThat(memory.read8(0x3006)).isEqualTo(src[src.length - 1]);
    assertThat(memory.read8(0x3007)).isZero();
    assertThat(memory.read64(0x3008)).isEqualTo(0x2222_2222_2222_2222L);
    byte[] back = new byte[src.length + 2];
    memory.read(0x1ff3, back, 1, src.length);
    for (int i = 0; i < src.length; i++) {
      assertThat(back[i + 1]).as("byte %d", i).isEqualTo(src[i]);
    }
    assertThat(back[0]).isZero();
    assertThat(back[back.length - 1]).isZero();
  }

  @Test
  void lastAddressOfTheSpaceWorksAndTheNextOneAborts() throws BusAbort {
    PhysicalMemory memory = new PhysicalMemory(40);
    long end = 1L << 40;

    memory.write64(end - 8, 0x0102_0304_0506_0708L);
    assertThat(memory.read8(end - 1)).isEqualTo((byte) 0x01);
    assertThat(memory.read32(end - 4)).isEqualTo(0x0102_0304);
    memory.write8(end - 1, (byte) 0x7f);
    assertThat(memory.read64(end - 8)).isEqualTo(0x7f02_0304_0506_0708L);

    assertAborts(() -> memory.read8(end), end, "outside the 40-bit physical address space");
    assertAborts(() -> memory.read64(end), end, "outside the 40-bit physical address space");
    assertAborts(() -> memory.write32(end, 1), end, "outside the 40-bit physical address space");
    assertAborts(
        () -> memory.write64(end + 0x1000, 1), end + 0x1000, "outside the 40-bit physical");
    assertAborts(() -> memory.compareAndSet64(end, 0, 1), end, "outside");
    assertAborts(() -> memory.read64(Long.MAX_VALUE & ~7L), Long.MAX_VALUE & ~7L, "outside");
  }

  @Test
  void negativeAddressesAbort() {
    PhysicalMemory memory = new PhysicalMemory(52);
    assertAborts(() -> memory.read8(-1), -1, "outside the 52-bit physical address space");
    assertAborts(() -> memory.read64(-8), -8, "outside");
    assertAborts(() -> memory.write64(Long.MIN_VALUE, 1), Long.MIN_VALUE, "outside");
    assertAborts(() -> memory.write8(-4096, (byte) 1), -4096, "outside");
    assertAborts(() -> memory.read(-4, new byte[8], 0, 8), -4, "outside");
    assertAborts(() -> memory.write(-4, new byte[8], 0, 8), -4, "outside");
    assertThat(memory.isBacked(-1)).isFalse();
    assertThat(memory.touchedFrames()).isZero();
  }

  @Test
  void misalignedWordAccessesAbortAndWriteNothing() throws BusAbort {
    PhysicalMemory memory = new PhysicalMemory(32);
    for (long pa = 0x101; pa < 0x108; pa++) {
      long at = pa;
      assertAborts(() -> memory.read64(at), at, "misaligned 64-bit access");
      assertAborts(() -> memory.write64(at, -1L), at, "misaligned 64-bit access");
      assertAborts(() -> memory.compareAndSet64(at, 0, -1L), at, "misaligned 64-bit access");
    }
    for (long pa : new long[] {0x101, 0x102, 0x103, 0x105, 0x106, 0x107}) {
      assertAborts(() -> memory.read32(pa), pa, "misaligned 32-bit access");
      assertAborts(() -> memory.write32(pa, -1), pa, "misaligned 32-bit access");
    }
    assertThat(memory.touchedFrames()).isZero();
  }

  @Test
  void bulkAccessRunningPastTheEndAbortsAndWritesNothing() throws BusAbort {
    PhysicalMemory memory = new PhysicalMemory(24);
    long end = 1L << 24;
    memory.write64(end - 16, 0x5555_5555_5555_5555L);
    byte[] src = new byte[32];
    java.util.Arrays.fill(src, (byte) 0x99);

    assertAborts(
        () -> memory.write(end - 16, src, 0, 17), end - 16, "runs past the end of the 24-bit");
    assertAborts(() -> memory.read(end - 16, new byte[32], 0, 17), end - 16, "runs past the end");
    assertAborts(() -> memory.write(end - 0x2000, new byte[0x3000], 0, 0x3000), end - 0x2000, "");
    assertAborts(() -> memory.write(end, src, 0, 1), end, "outside the 24-bit");

    assertThat(memory.read64(end - 16)).isEqualTo(0x5555_5555_5555_5555L);
    assertThat(memory.read64(end - 8)).isZero();
    assertThat(memory.touchedFrames()).isEqualTo(1);

    memory.write(end - 16, src, 0, 16);
    assertThat(memory.read64(end - 8)).isEqualTo(0x9999_9999_9999_9999L);
  }

  @Test
  void zeroLengthBulkAccessesDoNothingAnywhere() throws BusAbort {
    PhysicalMemory memory = new PhysicalMemory(24);
    byte[] buffer = {7};
    memory.write(1L << 24, buffer, 0, 0);
    memory.read(-1, buffer, 1, 0);
    assertThat(buffer).containsExactly(7);
    assertThat(memory.touchedFrames()).isZero();
  }

  @Test
  void badArrayRangesAreCallerErrorsCheckedBeforeAnyWrite() {
    PhysicalMemory memory = new PhysicalMemory(24);
    byte[] src = {1, 2, 3, 4};
    assertThatThrownBy(() -> memory.write(0, src, 2, 3))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> memory.read(0, src, -1, 2))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThat(memory.touchedFrames()).isZero();
  }

  @Test
  void fiftyTwoBitSpaceHoldsSparseFarApartWords() throws BusAbort {
    PhysicalMemory memory = new PhysicalMemory(52);
    long[] addresses = {
      0,
      0x1000,
      0x7fff_f000L,
      0x1_0000_0000L,
      0x8000_0000_0000L,
      0xf_ffff_ffff_fff8L,
      0xa_bcde_f012_3450L,
    };
    for (int i = 0; i < addresses.length; i++) {
      memory.write64(addresses[i], 0x1000L * i + 1);
    }
    for (int i = 0; i < addresses.length; i++) {
      assertThat(memory.read64(addresses[i]))
          .as("word at 0x%x", addresses[i])
          .isEqualTo(0x1000L * i + 1);
    }
    assertThat(memory.read64(0xf_ffff_ffff_fff0L)).isZero();
    assertThat(memory.touchedFrames()).isEqualTo(addresses.length);
    // Sparse use stays small: the root plus a few directories, far below one GiB.
    assertThat(memory.footprintBytes()).isLessThan(2L << 20);
    assertAborts(() -> memory.read64(1L << 52), 1L << 52, "outside the 52-bit");
  }

  @Test
  void footprintOfDenselyTouchedMemoryIsWithinFivePercent() throws BusAbort {
    PhysicalMemory memory = new PhysicalMemory(48);
    long base = 0x40_0000_0000L;
    int frames = 4096; // 16 MiB
    for (int f = 0; f < frames; f++) {
      memory.write64(base + f * 4096L, f + 1);
    }
    assertThat(memory.touchedFrames()).isEqualTo(frames);
    double overhead = (double) memory.footprintBytes() / memory.touchedBytes() - 1;
    assertThat(overhead).isBetween(0.0, 0.05);
  }

  @Test
  void compareAndSetReplacesOnlyTheExpectedValue() throws BusAbort {
    PhysicalMemory memory = new PhysicalMemory(32);
    assertThat(memory.compareAndSet64(0x40, 0, 0x8000_0000_0000_0401L)).isTrue();
    assertThat(memory.compareAndSet64(0x40, 0, 7)).isFalse();
    assertThat(memory.read64(0x40)).isEqualTo(0x8000_0000_0000_0401L);
    assertThat(memory.compareAndSet64(0x40, 0x8000_0000_0000_0401L, 0x401L)).isTrue();
    assertThat(memory.read64(0x40)).isEqualTo(0x401L);
  }

  @Test
  void unsupportedAddressSizesAreRejectedWithTheRange() {
    assertThatThrownBy(() -> new PhysicalMemory(53))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("53 bits")
        .hasMessageContaining("between 12 and 52");
    assertThatThrownBy(() -> new PhysicalMemory(11)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void smallestSpaceIsOneFrame() throws BusAbort {
    PhysicalMemory memory = new PhysicalMemory(12);
    memory.write64(0xff8, 3);
    assertThat(memory.read64(0xff8)).isEqualTo(3);
    assertAborts(() -> memory.read8(0x1000), 0x1000, "outside the 12-bit");
  }

  private interface Access {
    void run() throws BusAbort;
  }

  private static void assertAborts(Access access, long address, String reason) {
    assertThatThrownBy(access::run)
        .isInstanceOfSatisfying(
            BusAbort.class, abort -> assertThat(abort.address()).isEqualTo(address))
        .hasMessageContaining(String.format("PA 0x%x", address))
        .hasMessageContaining(reason);
  }
}
