package org.smmulab.driver.alloc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.smmulab.arch.testing.TestMemory;

class PageAllocatorTest {
  private final TestMemory memory = new TestMemory(40);

  private PageAllocator allocator(RamRange... ranges) {
    return new PageAllocator(memory, List.of(ranges));
  }

  @Test
  void blocksAreNaturallyAlignedAndInsideTheRanges() throws Exception {
    // An awkward range: starts 64-byte aligned only, so the root blocks are of many sizes.
    PageAllocator a = allocator(new RamRange(0x10_0040, 0x4_0000));
    for (long size : new long[] {64, 4096, 128, 16384, 65536, 256, 4096}) {
      long pa = a.allocate(size);
      assertThat(pa % size).as("alignment of %d", size).isZero();
      assertThat(pa).isGreaterThanOrEqualTo(0x10_0040);
      assertThat(pa + size).isLessThanOrEqualTo(0x14_0040);
    }
  }

  @Test
  void allocatedMemoryIsZeroedEvenAfterReuse() throws Exception {
    PageAllocator a = allocator(new RamRange(0x20_0000, 0x2000));
    long pa = a.allocate(0x2000);
    for (long at = pa; at < pa + 0x2000; at += 8) {
      memory.write64(at, -1L);
    }
    a.free(pa);
    long again = a.allocate(0x1000);
    assertThat(again).isEqualTo(pa);
    for (long at = again; at < again + 0x1000; at += 8) {
      assertThat(memory.read64(at)).isZero();
    }
    // The other half was not handed out, so it was not zeroed.
    assertThat(memory.read64(pa + 0x1000)).isEqualTo(-1L);
  }

  @Test
  void memoryOutsideTheRangesIsNeverTouched() throws Exception {
    memory.write64(0x0fff8, 0x1111);
    memory.write64(0x11000, 0x2222);
    PageAllocator a = allocator(new RamRange(0x10000, 0x1000));
    a.allocate(0x1000);
    assertThat(memory.read64(0x0fff8)).isEqualTo(0x1111);
    assertThat(memory.read64(0x11000)).isEqualTo(0x2222);
  }

  @Test
  void exhaustionSaysWhatWasAskedAndWhatIsLeft() throws Exception {
    // Roots: 8K at 0x10000 and 4K at 0x12000; a 4K request takes the 4K root (best fit).
    PageAllocator a = allocator(new RamRange(0x10000, 0x3000));
    assertThat(a.allocate(0x1000)).isEqualTo(0x12000);
    assertThatThrownBy(() -> a.allocate(0x4000))
        .isInstanceOfSatisfying(
            AllocatorExhaustedException.class,
            e -> {
              assertThat(e.requestedBytes()).isEqualTo(0x4000);
              assertThat(e.freeBytes()).isEqualTo(0x2000);
              assertThat(e.largestFreeBlock()).isEqualTo(0x2000);
            })
        .hasMessage(
            "out of driver memory: asked for 16384 bytes, 8192 bytes free, largest free block"
                + " 8192 bytes");
    assertThat(a.stats()).isEqualTo(new AllocatorStats(0x3000, 0x1000, 1, 0x2000));
  }

  @Test
  void doubleFreeAndUnknownAddressesAreNamed() throws Exception {
    PageAllocator a = allocator(new RamRange(0x10000, 0x1000));
    long pa = a.allocate(0x100);
    a.free(pa);
    assertThatThrownBy(() -> a.free(pa))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("free of PA 0x10000")
        .hasMessageContaining("double free");
    long other = a.allocate(0x100);
    assertThatThrownBy(() -> a.free(other + 0x40))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("PA 0x10040");
    assertThat(a.allocationsOutstanding()).isEqualTo(1);
  }

  @Test
  void badSizesAndRangesAreRejected() {
    PageAllocator a = allocator(new RamRange(0x10000, 0x1000));
    assertThatThrownBy(() -> a.allocate(32)).hasMessageContaining("at least 64 bytes, got 32");
    assertThatThrownBy(() -> a.allocate(0x3000)).hasMessageContaining("power of two");
    assertThatThrownBy(() -> new RamRange(0x10010, 0x1000)).hasMessageContaining("multiples of 64");
    assertThatThrownBy(() -> new RamRange(0x10000, 0)).hasMessageContaining("empty");
    assertThatThrownBy(
            () -> allocator(new RamRange(0x10000, 0x2000), new RamRange(0x11000, 0x1000)))
        .hasMessageContaining("overlap");
    assertThatThrownBy(() -> allocator(new RamRange(1L << 40, 0x1000)))
        .hasMessageContaining("beyond the 40-bit physical address space");
    assertThatThrownBy(() -> new PageAllocator(memory, List.of()))
        .hasMessageContaining("at least one RAM range");
  }

  @Test
  void buddiesMergeBackWithinOneRangeOnly() throws Exception {
    // Two adjacent ranges: their blocks must not merge across the boundary at 0x12000.
    PageAllocator a = allocator(new RamRange(0x10000, 0x2000), new RamRange(0x12000, 0x2000));
    assertThat(a.stats().largestFreeBlock()).isEqualTo(0x2000);
    long x = a.allocate(0x1000);
    long y = a.allocate(0x1000);
    a.free(x);
    a.free(y);
    assertThat(a.stats()).isEqualTo(new AllocatorStats(0x4000, 0, 0, 0x2000));
    assertThat(a.allocate(0x2000)).isEqualTo(0x10000);
    assertThat(a.allocate(0x2000)).isEqualTo(0x12000);
    assertThatThrownBy(() -> a.allocate(64)).isInstanceOf(AllocatorExhaustedException.class);
  }
}
