package org.smmulab.hw.smmu.tlb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.smmulab.hw.smmu.tlb.CacheFixtures.GIB_1;
import static org.smmulab.hw.smmu.tlb.CacheFixtures.KIB_4;
import static org.smmulab.hw.smmu.tlb.CacheFixtures.MIB_2;
import static org.smmulab.hw.smmu.tlb.CacheFixtures.caches;
import static org.smmulab.hw.smmu.tlb.CacheFixtures.el2;
import static org.smmulab.hw.smmu.tlb.CacheFixtures.el2Global;
import static org.smmulab.hw.smmu.tlb.CacheFixtures.fill;
import static org.smmulab.hw.smmu.tlb.CacheFixtures.fillTables;
import static org.smmulab.hw.smmu.tlb.CacheFixtures.global;
import static org.smmulab.hw.smmu.tlb.CacheFixtures.leaf;
import static org.smmulab.hw.smmu.tlb.CacheFixtures.nested;
import static org.smmulab.hw.smmu.tlb.CacheFixtures.s1;
import static org.smmulab.hw.smmu.tlb.CacheFixtures.s2;
import static org.smmulab.hw.smmu.tlb.CacheFixtures.table;

import org.junit.jupiter.api.Test;
import org.smmulab.arch.cmd.Command;
import org.smmulab.arch.cmd.TlbiRange;

/**
 * One or more tests per row of the TLBI table: a cache is filled with entries of several worlds,
 * kinds, VMIDs and ASIDs, one command runs, and the exact set of survivors is checked.
 */
class TlbiScopeTest {
  private final TranslationCacheSet caches = caches(false);

  // ---- TLBI_NH_ALL ----

  @Test
  void nhAllRemovesStage1AndNestedOfItsVmidButNotStage2() {
    TlbEntry s1 = leaf(s1(1, 5), 0x1000, 3);
    TlbEntry glob = leaf(global(1, 7), 0x2000, 3);
    TlbEntry nest = leaf(nested(1, 5), 0x3000, 3);
    TlbEntry pureS2 = leaf(s2(1), 0x1000, 3);
    TlbEntry otherVmid = leaf(s1(2, 5), 0x1000, 3);
    TlbEntry el2 = leaf(el2(5), 0x1000, 3);
    fill(caches, s1, glob, nest, pureS2, otherVmid, el2);
    WalkCacheEntry s1Table = table(s1(1, 5), 0, 2);
    WalkCacheEntry s2Table = table(s2(1), 0, 2);
    fillTables(caches, s1Table, s2Table);

    int removed = caches.invalidate(Command.tlbiNhAll(1));

    assertThat(removed).isEqualTo(4);
    assertThat(caches.tlbEntries()).containsExactlyInAnyOrder(pureS2, otherVmid, el2);
    assertThat(caches.walkCacheEntries()).containsExactly(s2Table);
  }

  @Test
  void nhAllOnVmidZeroLeavesTheEl2World() {
    TlbEntry ns = leaf(s1(0, 3), 0x1000, 3);
    TlbEntry el2 = leaf(el2(3), 0x1000, 3);
    fill(caches, ns, el2);

    caches.invalidate(Command.tlbiNhAll(0));

    assertThat(caches.tlbEntries()).containsExactly(el2);
  }

  // ---- TLBI_NH_ASID ----

  @Test
  void nhAsidRemovesNonGlobalEntriesOfAsidAndVmidAndSparesGlobals() {
    TlbEntry mine = leaf(s1(1, 5), 0x1000, 3);
    TlbEntry mineNested = leaf(nested(1, 5), 0x5000, 3);
    TlbEntry globalSameAsid = leaf(global(1, 5), 0x2000, 3);
    TlbEntry globalOtherAsid = leaf(global(1, 9), 0x3000, 3);
    TlbEntry otherAsid = leaf(s1(1, 6), 0x1000, 3);
    TlbEntry otherVmid = leaf(s1(2, 5), 0x1000, 3);
    TlbEntry pureS2 = leaf(s2(1), 0x1000, 3);
    fill(caches, mine, mineNested, globalSameAsid, globalOtherAsid, otherAsid, otherVmid, pureS2);
    WalkCacheEntry mineTable = table(s1(1, 5), 0, 2);
    WalkCacheEntry otherTable = table(s1(1, 6), 0, 2);
    fillTables(caches, mineTable, otherTable);

    caches.invalidate(Command.tlbiNhAsid(1, 5));

    assertThat(caches.tlbEntries())
        .containsExactlyInAnyOrder(globalSameAsid, globalOtherAsid, otherAsid, otherVmid, pureS2);
    assertThat(caches.walkCacheEntries()).containsExactly(otherTable);
  }

  // ---- TLBI_NH_VA ----

  @Test
  void nhVaRemovesMatchingAsidAndGlobalsOfAnyAsidAtTheAddress() {
    TlbEntry mine = leaf(s1(1, 5), 0x1000, 3);
    TlbEntry globalOther = leaf(global(1, 9), 0x1000, 3);
    TlbEntry nest = leaf(nested(1, 5), 0x1000, 3);
    TlbEntry otherAsid = leaf(s1(1, 6), 0x1000, 3);
    TlbEntry otherPage = leaf(s1(1, 5), 0x2000, 3);
    TlbEntry otherVmid = leaf(s1(2, 5), 0x1000, 3);
    TlbEntry pureS2 = leaf(s2(1), 0x1000, 3);
    fill(caches, mine, globalOther, nest, otherAsid, otherPage, otherVmid, pureS2);

    caches.invalidate(Command.tlbiNhVa(1, 5, TlbiRange.single(0x1000, true)));

    assertThat(caches.tlbEntries())
        .containsExactlyInAnyOrder(otherAsid, otherPage, otherVmid, pureS2);
  }

  @Test
  void globalsSurviveNhAsidButNotNhVaOfAnotherAsid() {
    TlbEntry glob = leaf(global(1, 9), 0x7000, 3);
    fill(caches, glob);

    caches.invalidate(Command.tlbiNhAsid(1, 9));
    assertThat(caches.tlbEntries()).containsExactly(glob);

    caches.invalidate(Command.tlbiNhVa(1, 4, TlbiRange.single(0x7000, true)));
    assertThat(caches.tlbEntries()).isEmpty();
  }

  @Test
  void leafOneKeepsWalkCacheEntriesAndLeafZeroRemovesThose() {
    TlbEntry page = leaf(s1(1, 5), 0x1000, 3);
    WalkCacheEntry l2 = table(s1(1, 5), 0, 2);
    WalkCacheEntry l1 = table(s1(1, 5), 0, 1);
    WalkCacheEntry otherAsid = table(s1(1, 6), 0, 2);
    WalkCacheEntry elsewhere = table(s1(1, 5), MIB_2, 2);
    fill(caches, page);
    fillTables(caches, l2, l1, otherAsid, elsewhere);

    caches.invalidate(Command.tlbiNhVa(1, 5, TlbiRange.single(0x1000, true)));
    assertThat(caches.tlbEntries()).isEmpty();
    assertThat(caches.walkCacheEntries()).containsExactlyInAnyOrder(l2, l1, otherAsid, elsewhere);

    caches.invalidate(Command.tlbiNhVa(1, 5, TlbiRange.single(0x1000, false)));
    assertThat(caches.walkCacheEntries()).containsExactlyInAnyOrder(otherAsid, elsewhere);
  }

  @Test
  void singleAddressRemovesA2MibBlockContainingIt() {
    TlbEntry block = leaf(s1(1, 5), 0x20_0000, 2);
    TlbEntry neighbour = leaf(s1(1, 5), 0x40_0000, 2);
    fill(caches, block, neighbour);

    caches.invalidate(Command.tlbiNhVa(1, 5, TlbiRange.single(0x34_5000, true)));

    assertThat(caches.tlbEntries()).containsExactly(neighbour);
  }

  @Test
  void rangeRemovesBlocksThatOnlyPartlyOverlap() {
    TlbEntry below = leaf(s1(1, 5), 0x1fe000, 3);
    TlbEntry first = leaf(s1(1, 5), 0x1ff000, 3);
    TlbEntry block = leaf(s1(1, 5), MIB_2, 2);
    TlbEntry gigBlock = leaf(s1(1, 5), GIB_1, 1);
    fill(caches, below, first, block, gigBlock);

    // TG = 4K, NUM = 1, SCALE = 0: two pages, 0x1ff000..0x200fff; the second is inside the block.
    caches.invalidate(
        Command.tlbiNhVa(
            1, 5, TlbiRange.of(0x1ff000, org.smmulab.arch.pte.Granule.SIZE_4K, 1, 0, 0, true)));

    assertThat(caches.tlbEntries()).containsExactlyInAnyOrder(below, gigBlock);
  }

  @Test
  void range64kGranuleWithScaleCoversNumPlusOneTimesTwoToScalePages() {
    TlbEntry gigBlock = leaf(s1(1, 5), GIB_1, 1);
    TlbEntry lastInRange = leaf(s1(1, 5), GIB_1 + 0xff000, 3);
    TlbEntry justPast = leaf(s1(1, 5), GIB_1 + 0x100000, 3);
    TlbEntry before = leaf(s1(1, 5), GIB_1 - KIB_4, 3);
    fill(caches, gigBlock, lastInRange, justPast, before);

    // TG = 64K, NUM = 3, SCALE = 2: 16 pages of 64 KiB = 1 MiB from 1 GiB.
    caches.invalidate(
        Command.tlbiNhVa(
            1, 5, TlbiRange.of(GIB_1, org.smmulab.arch.pte.Granule.SIZE_64K, 3, 2, 0, true)));

    assertThat(caches.tlbEntries()).containsExactlyInAnyOrder(justPast, before);
  }

  @Test
  void largestRangeEndsAtItsLength() {
    TlbEntry inside = leaf(s1(1, 5), (1L << 50) - KIB_4, 3);
    TlbEntry outside = leaf(s1(1, 5), 1L << 50, 3);
    fill(caches, inside, outside);

    // TG = 16K, NUM = 31, SCALE = 31: 32 * 2^31 pages of 16 KiB = 2^50 bytes from 0.
    caches.invalidate(
        Command.tlbiNhVa(
            1, 5, TlbiRange.of(0, org.smmulab.arch.pte.Granule.SIZE_16K, 31, 31, 0, true)));

    assertThat(caches.tlbEntries()).containsExactly(outside);
  }

  @Test
  void rangeRunningPastTheTopOfTheAddressSpaceDoesNotWrapToZero() {
    TlbEntry top = leaf(s1(1, 5), 0xFFFF_FFFF_FFFF_F000L, 3);
    TlbEntry bottom = leaf(s1(1, 5), 0, 3);
    fill(caches, top, bottom);

    caches.invalidate(
        Command.tlbiNhVa(
            1,
            5,
            TlbiRange.of(
                0xFFFF_FFFF_FFFF_0000L, org.smmulab.arch.pte.Granule.SIZE_64K, 31, 4, 0, true)));

    assertThat(caches.tlbEntries()).containsExactly(bottom);
  }

  // ---- TLBI_NH_VAA ----

  @Test
  void nhVaaRemovesEveryAsidAtTheAddressInItsVmidOnly() {
    TlbEntry a5 = leaf(s1(1, 5), 0x1000, 3);
    TlbEntry a6 = leaf(s1(1, 6), 0x1000, 3);
    TlbEntry glob = leaf(global(1, 2), 0x1000, 3);
    TlbEntry otherVmid = leaf(s1(2, 5), 0x1000, 3);
    TlbEntry pureS2 = leaf(s2(1), 0x1000, 3);
    TlbEntry otherPage = leaf(s1(1, 5), 0x3000, 3);
    fill(caches, a5, a6, glob, otherVmid, pureS2, otherPage);

    caches.invalidate(Command.tlbiNhVaa(1, TlbiRange.single(0x1000, true)));

    assertThat(caches.tlbEntries()).containsExactlyInAnyOrder(otherVmid, pureS2, otherPage);
  }

  // ---- TLBI_EL2_* ----

  @Test
  void el2AllRemovesTheEl2WorldOnly() {
    TlbEntry e5 = leaf(el2(5), 0x1000, 3);
    TlbEntry eg = leaf(el2Global(6), 0x2000, 3);
    TlbEntry ns = leaf(s1(0, 5), 0x1000, 3);
    TlbEntry nsS2 = leaf(s2(0), 0x1000, 3);
    fill(caches, e5, eg, ns, nsS2);
    WalkCacheEntry el2Table = table(el2(5), 0, 2);
    WalkCacheEntry nsTable = table(s1(0, 5), 0, 2);
    fillTables(caches, el2Table, nsTable);

    caches.invalidate(Command.tlbiEl2All());

    assertThat(caches.tlbEntries()).containsExactlyInAnyOrder(ns, nsS2);
    assertThat(caches.walkCacheEntries()).containsExactly(nsTable);
  }

  @Test
  void el2AsidSparesGlobalsAndTheNsWorld() {
    TlbEntry e5 = leaf(el2(5), 0x1000, 3);
    TlbEntry e6 = leaf(el2(6), 0x1000, 3);
    TlbEntry eg = leaf(el2Global(5), 0x2000, 3);
    TlbEntry ns = leaf(s1(0, 5), 0x1000, 3);
    fill(caches, e5, e6, eg, ns);

    caches.invalidate(Command.tlbiEl2Asid(5));

    assertThat(caches.tlbEntries()).containsExactlyInAnyOrder(e6, eg, ns);
  }

  @Test
  void el2VaRemovesAsidAndGlobalsAtTheAddressOfTheEl2WorldOnly() {
    TlbEntry e5 = leaf(el2(5), 0x1000, 3);
    TlbEntry e6 = leaf(el2(6), 0x1000, 3);
    TlbEntry eg = leaf(el2Global(9), 0x1000, 3);
    TlbEntry ns = leaf(s1(0, 5), 0x1000, 3);
    fill(caches, e5, e6, eg, ns);

    caches.invalidate(Command.tlbiEl2Va(5, TlbiRange.single(0x1000, true)));

    assertThat(caches.tlbEntries()).containsExactlyInAnyOrder(e6, ns);
  }

  @Test
  void el2VaaRemovesEveryAsidAtTheAddressOfTheEl2WorldOnly() {
    TlbEntry e5 = leaf(el2(5), 0x1000, 3);
    TlbEntry e6 = leaf(el2(6), 0x1000, 3);
    TlbEntry e6Elsewhere = leaf(el2(6), 0x9000, 3);
    TlbEntry ns = leaf(global(0, 5), 0x1000, 3);
    fill(caches, e5, e6, e6Elsewhere, ns);

    caches.invalidate(Command.tlbiEl2Vaa(TlbiRange.single(0x1000, true)));

    assertThat(caches.tlbEntries()).containsExactlyInAnyOrder(e6Elsewhere, ns);
  }

  @Test
  void nhCommandsLeaveTheEl2World() {
    TlbEntry e = leaf(el2(5), 0x1000, 3);
    fill(caches, e);

    caches.invalidate(Command.tlbiNhAsid(0, 5));
    caches.invalidate(Command.tlbiNhVa(0, 5, TlbiRange.single(0x1000, false)));
    caches.invalidate(Command.tlbiNhVaa(0, TlbiRange.single(0x1000, false)));
    caches.invalidate(Command.tlbiS12Vmall(0));

    assertThat(caches.tlbEntries()).containsExactly(e);
  }

  // ---- TLBI_S12_VMALL ----

  @Test
  void s12VmallRemovesEverythingOfItsVmidAndNothingElse() {
    TlbEntry s1 = leaf(s1(1, 5), 0x1000, 3);
    TlbEntry glob = leaf(global(1, 5), 0x2000, 3);
    TlbEntry nest = leaf(nested(1, 5), 0x3000, 3);
    TlbEntry pureS2 = leaf(s2(1), 0x1000, 2);
    TlbEntry otherS1 = leaf(s1(2, 5), 0x1000, 3);
    TlbEntry otherS2 = leaf(s2(2), 0x1000, 3);
    TlbEntry el2 = leaf(el2(5), 0x1000, 3);
    fill(caches, s1, glob, nest, pureS2, otherS1, otherS2, el2);
    WalkCacheEntry t1 = table(s1(1, 5), 0, 1);
    WalkCacheEntry t2 = table(s2(1), 0, 1);
    WalkCacheEntry otherT = table(s2(2), 0, 1);
    fillTables(caches, t1, t2, otherT);

    int removed = caches.invalidate(Command.tlbiS12Vmall(1));

    assertThat(removed).isEqualTo(6);
    assertThat(caches.tlbEntries()).containsExactlyInAnyOrder(otherS1, otherS2, el2);
    assertThat(caches.walkCacheEntries()).containsExactly(otherT);
  }

  // ---- TLBI_S2_IPA ----

  @Test
  void s2IpaRemovesPureStage2EntriesButNotNestedOnesWhichNhAllThenRemoves() {
    TlbEntry pureS2 = leaf(s2(1), 0x20_0000, 2);
    TlbEntry nest = leaf(nested(1, 5), 0x20_0000, 3);
    TlbEntry s1 = leaf(s1(1, 5), 0x20_0000, 3);
    TlbEntry otherVmid = leaf(s2(2), 0x20_0000, 2);
    TlbEntry otherIpa = leaf(s2(1), 0x40_0000, 2);
    fill(caches, pureS2, nest, s1, otherVmid, otherIpa);

    caches.invalidate(Command.tlbiS2Ipa(1, TlbiRange.single(0x21_0000, true)));
    assertThat(caches.tlbEntries()).containsExactlyInAnyOrder(nest, s1, otherVmid, otherIpa);

    caches.invalidate(Command.tlbiNhAll(1));
    assertThat(caches.tlbEntries()).containsExactlyInAnyOrder(otherVmid, otherIpa);
  }

  @Test
  void s2IpaRemovesStage2TablesUnlessLeaf() {
    WalkCacheEntry s2Table = table(s2(1), 0, 2);
    WalkCacheEntry s1Table = table(s1(1, 5), 0, 2);
    fillTables(caches, s2Table, s1Table);

    caches.invalidate(Command.tlbiS2Ipa(1, TlbiRange.single(0x1000, true)));
    assertThat(caches.walkCacheEntries()).containsExactlyInAnyOrder(s2Table, s1Table);

    caches.invalidate(Command.tlbiS2Ipa(1, TlbiRange.single(0x1000, false)));
    assertThat(caches.walkCacheEntries()).containsExactly(s1Table);
  }

  @Test
  void s2IpaRangeAsLinuxEncodesOne2MibBlock() {
    // From the command vectors: vmid=1 ipa=0x200000 leaf TG=4K TTL=2, qwords as Linux builds them.
    Command cmd = Command.decode(0x000000010000002aL, 0x0000000000200601L);
    TlbEntry block = leaf(s2(1), 0x20_0000, 2);
    TlbEntry next = leaf(s2(1), 0x40_0000, 2);
    TlbEntry prev = leaf(s2(1), 0x1f_f000, 3);
    fill(caches, block, next, prev);

    caches.invalidate(cmd);

    assertThat(caches.tlbEntries()).containsExactlyInAnyOrder(next, prev);
  }

  // ---- TLBI_NSNH_ALL ----

  @Test
  void nsnhAllRemovesEveryNsEl1AndEl2Entry() {
    fill(
        caches,
        leaf(s1(1, 5), 0x1000, 3),
        leaf(global(2, 5), 0x1000, 3),
        leaf(nested(3, 5), 0x1000, 3),
        leaf(s2(4), 0x1000, 3),
        leaf(el2(5), 0x1000, 3),
        leaf(el2Global(6), 0x1000, 3));
    fillTables(caches, table(s1(1, 5), 0, 1), table(s2(4), 0, 1), table(el2(5), 0, 2));

    int removed = caches.invalidate(Command.tlbiNsnhAll());

    assertThat(removed).isEqualTo(9);
    assertThat(caches.tlbEntries()).isEmpty();
    assertThat(caches.walkCacheEntries()).isEmpty();
  }

  // ---- commands that remove nothing here ----

  @Test
  void el3AndNonTlbCommandsRemoveNothingAndKeepTheGeneration() {
    TlbEntry e = leaf(s1(0, 0), 0x1000, 3);
    TlbEntry g = leaf(el2Global(0), 0x1000, 3);
    fill(caches, e, g);
    long generation = caches.generation();

    assertThat(caches.invalidate(Command.tlbiEl3All())).isZero();
    assertThat(caches.invalidate(Command.tlbiEl3Va(TlbiRange.single(0x1000, false)))).isZero();
    assertThat(caches.invalidate(Command.cfgiAll())).isZero();
    assertThat(caches.invalidate(Command.cmdSync(Command.CS_NONE, 0, 0, 0, 0))).isZero();
    assertThat(caches.invalidate(Command.decode(0x07, 0))).isZero();

    assertThat(caches.tlbEntries()).containsExactlyInAnyOrder(e, g);
    assertThat(caches.generation()).isEqualTo(generation);
  }

  @Test
  void everyTlbiBumpsTheGenerationEvenWhenNothingMatches() {
    long before = caches.generation();

    caches.invalidate(Command.tlbiNhAll(7));
    caches.invalidate(Command.tlbiS2Ipa(7, TlbiRange.single(0, true)));

    assertThat(caches.generation()).isEqualTo(before + 2);
  }
}
