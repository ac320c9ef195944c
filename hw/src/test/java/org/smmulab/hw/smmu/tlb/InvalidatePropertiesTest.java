package org.smmulab.hw.smmu.tlb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.smmulab.hw.smmu.tlb.CacheFixtures.el2;
import static org.smmulab.hw.smmu.tlb.CacheFixtures.fill;
import static org.smmulab.hw.smmu.tlb.CacheFixtures.fillTables;
import static org.smmulab.hw.smmu.tlb.CacheFixtures.global;
import static org.smmulab.hw.smmu.tlb.CacheFixtures.leaf;
import static org.smmulab.hw.smmu.tlb.CacheFixtures.nested;
import static org.smmulab.hw.smmu.tlb.CacheFixtures.s1;
import static org.smmulab.hw.smmu.tlb.CacheFixtures.s2;
import static org.smmulab.hw.smmu.tlb.CacheFixtures.table;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.smmulab.arch.cmd.Command;
import org.smmulab.arch.cmd.Opcode;
import org.smmulab.arch.cmd.TlbiRange;
import org.smmulab.arch.pte.Granule;
import org.smmulab.hw.smmu.SmmuConfig.Replacement;

/** Properties of invalidation over arbitrary command bits and arbitrary ranges. */
class InvalidatePropertiesTest {
  private static final BigInteger TWO_TO_64 = BigInteger.ONE.shiftLeft(64);

  @Provide
  Arbitrary<Long> commandQword0() {
    Arbitrary<Integer> opcode =
        Arbitraries.oneOf(
            Arbitraries.of(Opcode.values()).map(Opcode::value),
            Arbitraries.integers().between(0, 255));
    return opcode.flatMap(op -> Arbitraries.longs().map(high -> (high & ~0xffL) | op));
  }

  private static TranslationCacheSet populated(boolean strictTtl) {
    TranslationCacheSet c =
        new TranslationCacheSet(CacheFixtures.knobs(64, Replacement.LRU, 3, strictTtl));
    for (int vmid = 0; vmid < 2; vmid++) {
      for (int asid = 0; asid < 2; asid++) {
        fill(
            c,
            leaf(s1(vmid, asid), 0x1000, 3),
            leaf(global(vmid, asid), 0x20_0000, 2),
            leaf(nested(vmid, asid), 0x4000_0000L, 1),
            leaf(el2(asid), 0x1000, 3));
        fillTables(c, table(s1(vmid, asid), 0, 1), table(el2(asid), 0, 2));
      }
      fill(c, leaf(s2(vmid), 0x1000, 3), leaf(s2(vmid), 0xFFFF_FFFF_FFFF_F000L, 3));
      fillTables(c, table(s2(vmid), 0, 0));
    }
    return c;
  }

  @Property(tries = 400, seed = "20261124")
  void anyCommandBitsInvalidateWithoutThrowingAndRemoveExactlyTheirScope(
      @ForAll("commandQword0") long qword0, @ForAll long qword1, @ForAll boolean strictTtl) {
    Command cmd = Command.decode(qword0, qword1);
    TranslationCacheSet c = populated(strictTtl);
    List<TlbEntry> leavesBefore = c.tlbEntries();
    List<WalkCacheEntry> tablesBefore = c.walkCacheEntries();
    InvalidationScope scope = InvalidationScope.of(cmd, strictTtl);

    int removed = c.invalidate(cmd);

    List<TlbEntry> expectedLeaves = new ArrayList<>();
    leavesBefore.stream().filter(e -> !scope.removes(e)).forEach(expectedLeaves::add);
    List<WalkCacheEntry> expectedTables = new ArrayList<>();
    tablesBefore.stream().filter(e -> !scope.removes(e)).forEach(expectedTables::add);
    assertThat(c.tlbEntries()).containsExactlyInAnyOrderElementsOf(expectedLeaves);
    assertThat(c.walkCacheEntries()).containsExactlyInAnyOrderElementsOf(expectedTables);
    assertThat(removed)
        .isEqualTo(
            leavesBefore.size()
                - expectedLeaves.size()
                + tablesBefore.size()
                - expectedTables.size());
  }

  @Provide
  Arbitrary<Long> pageAlignedAddress() {
    return Arbitraries.oneOf(
        Arbitraries.longs().map(a -> a & ~0xfffL),
        Arbitraries.longs().between(0, 1L << 32).map(a -> a & ~0xfffL),
        Arbitraries.longs().between(-(1L << 40), -1).map(a -> a & ~0xfffL));
  }

  @Property(tries = 1000, seed = "20261124")
  void aRangeHitsExactlyTheEntriesThatOverlapIt(
      @ForAll("pageAlignedAddress") long address,
      @ForAll @IntRange(min = 0, max = 31) int num,
      @ForAll @IntRange(min = 0, max = 31) int scale,
      @ForAll @IntRange(min = 0, max = 3) int tg,
      @ForAll("pageAlignedAddress") long entryAddress,
      @ForAll @IntRange(min = 1, max = 3) int level,
      @ForAll Granule granule) {
    Command cmd = Command.tlbiNhVaa(1, new TlbiRange(address, num, scale, tg, 0, true));
    int shift = granule.levelShift(level);
    long entryBase = entryAddress & ~((1L << shift) - 1);
    TlbEntry entry = leaf(s1(1, 4), entryBase, level, granule);

    BigInteger entryFirst = new BigInteger(Long.toUnsignedString(entryBase));
    BigInteger entryEnd = entryFirst.add(BigInteger.ONE.shiftLeft(shift));
    BigInteger first = new BigInteger(Long.toUnsignedString(address));
    BigInteger end;
    if (tg == 0) {
      end = first.add(BigInteger.ONE);
    } else {
      int granuleShift = tg == 1 ? 12 : tg == 2 ? 14 : 16;
      BigInteger bytes = BigInteger.valueOf(num + 1L).shiftLeft(scale + granuleShift);
      end = first.add(bytes).min(TWO_TO_64);
    }
    boolean overlaps = entryFirst.compareTo(end) < 0 && first.compareTo(entryEnd) < 0;

    assertThat(InvalidationScope.of(cmd, false).removes(entry)).isEqualTo(overlaps);
  }

  /**
   * Addressed invalidations (one page or a short range) probe the buckets of their addresses
   * instead of scanning: over entries of every kind, size and tag packed around the addresses they
   * name, they must remove exactly what a per-entry check of the scope removes.
   */
  @Property(tries = 500, seed = "20261201")
  void addressedInvalidationsRemoveExactlyWhatTheScopeCovers(
      @ForAll("entrySeeds") List<Long> entrySeeds,
      @ForAll @IntRange(min = 0, max = 2) int opcode,
      @ForAll @IntRange(min = 0, max = 1) int vmid,
      @ForAll @IntRange(min = 0, max = 1) int asid,
      @ForAll @IntRange(min = 0, max = 63) int page,
      @ForAll @IntRange(min = 0, max = 3) int num,
      @ForAll @IntRange(min = 0, max = 2) int scale,
      @ForAll @IntRange(min = 0, max = 1) int tg,
      @ForAll boolean leafOnly,
      @ForAll boolean strictTtl) {
    TranslationCacheSet c =
        new TranslationCacheSet(CacheFixtures.knobs(256, Replacement.LRU, 3, strictTtl));
    for (long seed : entrySeeds) {
      int level = 1 + (int) Long.remainderUnsigned(seed, 3);
      long base = (seed >>> 8 & 63) << 12 & (-1L << Granule.SIZE_4K.levelShift(level));
      int v = (int) (seed >>> 16 & 1);
      int a = (int) (seed >>> 17 & 1);
      CacheTag tag =
          switch ((int) (seed >>> 20 & 3)) {
            case 0 -> s1(v, a);
            case 1 -> global(v, a);
            case 2 -> nested(v, a);
            default -> s2(v);
          };
      fill(c, leaf(tag, base, level));
      if (level < 3) {
        fillTables(c, table(tag, base, level));
      }
    }
    TlbiRange range = new TlbiRange(page * 0x1000L, num, scale, tg, 0, leafOnly);
    Command cmd =
        switch (opcode) {
          case 0 -> Command.tlbiNhVa(vmid, asid, range);
          case 1 -> Command.tlbiNhVaa(vmid, range);
          default -> Command.tlbiS2Ipa(vmid, range);
        };
    InvalidationScope scope = InvalidationScope.of(cmd, strictTtl);
    List<TlbEntry> leavesBefore = c.tlbEntries();
    List<WalkCacheEntry> tablesBefore = c.walkCacheEntries();

    c.invalidate(cmd);

    assertThat(c.tlbEntries())
        .containsExactlyInAnyOrderElementsOf(
            leavesBefore.stream().filter(e -> !scope.removes(e)).toList());
    assertThat(c.walkCacheEntries())
        .containsExactlyInAnyOrderElementsOf(
            tablesBefore.stream().filter(e -> !scope.removes(e)).toList());
  }

  @Provide
  Arbitrary<List<Long>> entrySeeds() {
    return Arbitraries.longs().list().ofMinSize(1).ofMaxSize(120);
  }
}
