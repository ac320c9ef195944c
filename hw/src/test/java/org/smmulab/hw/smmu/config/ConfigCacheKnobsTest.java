package org.smmulab.hw.smmu.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.smmulab.hw.smmu.config.ConfigFixture.STRTAB;
import static org.smmulab.hw.smmu.config.ConfigFixture.linear;
import static org.smmulab.hw.smmu.config.ConfigFixture.s2Ste;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.smmulab.arch.bus.BusAbort;
import org.smmulab.arch.cmd.Command;
import org.smmulab.arch.ste.SteFields;
import org.smmulab.hw.smmu.txn.Transaction;

/**
 * The config cache's random eviction and word-by-word refetch knobs: fresh fetches happen although
 * everything fits, and a refetch between an unsynchronised rewrite of an STE and its CFGI can
 * combine words from before and after the rewrite, never after the CFGI.
 */
class ConfigCacheKnobsTest {
  private static final int SID = 5;
  private static final long OLD_TTB = 0x30_0000L;
  private static final long NEW_TTB = 0x70_0000L;

  private static ConfigFixture fixture(int evictionOneIn, boolean partialRefetch) {
    ConfigFixture f = new ConfigFixture();
    return new ConfigFixture(f.config, new ConfigCache(64, 7, evictionOneIn, partialRefetch));
  }

  private static void writeS2(ConfigFixture f, int vmid, long ttb) throws BusAbort {
    f.writeSte(STRTAB + SID * 64L, s2Ste(vmid).set(SteFields.S2_TTB, ttb).build());
  }

  private static ResolvedStream resolve(ConfigFixture f) throws Exception {
    return f.fetcher().resolve(linear(8, true), Transaction.read(SID, 0x1000));
  }

  @Test
  void withoutRandomEvictionARewrittenSteStaysCachedUntilCfgi() throws Exception {
    ConfigFixture f = fixture(0, false);
    writeS2(f, 1, OLD_TTB);
    resolve(f);
    writeS2(f, 2, NEW_TTB);
    for (int i = 0; i < 1000; i++) {
      assertThat(resolve(f).vmid()).isEqualTo(1);
    }
    assertThat(f.cache.statistics().randomEvictions()).isZero();
  }

  @Test
  void randomEvictionDropsAboutOneFoundEntryInNAndTheNextFetchReadsMemory() throws Exception {
    ConfigFixture f = fixture(8, false);
    writeS2(f, 1, OLD_TTB);
    resolve(f);
    writeS2(f, 2, NEW_TTB);
    int firstFresh = -1;
    for (int i = 0; i < 8000 && firstFresh < 0; i++) {
      if (resolve(f).vmid() == 2) {
        firstFresh = i;
      }
    }
    assertThat(firstFresh)
        .as("a fresh fetch found the rewritten STE without a CFGI")
        .isNotNegative();

    ConfigFixture counting = fixture(8, false);
    writeS2(counting, 1, OLD_TTB);
    for (int i = 0; i < 8000; i++) {
      resolve(counting);
    }
    // Each resolution looks up its resolved configuration once; 1 in 8 found ones is dropped.
    assertThat(counting.cache.statistics().randomEvictions()).isBetween(800L, 1200L);
  }

  @Test
  void aRefetchCombinesKeptWordsWithFreshOnesUntilTheCfgi() throws Exception {
    ConfigFixture f = fixture(1, true);
    Set<String> seen = new HashSet<>();
    for (int trial = 0; trial < 32; trial++) {
      writeS2(f, 1, OLD_TTB);
      f.cache.invalidate(Command.cfgiSte(SID, true));
      assertThat(resolve(f).vmid()).as("a whole fetch after the CFGI").isEqualTo(1);
      writeS2(f, 2, NEW_TTB);
      ResolvedStream s = resolve(f);
      seen.add(s.vmid() + "/" + Long.toHexString(s.ste().s2Ttb()));
    }
    assertThat(seen)
        .as("old, new and both torn combinations of S2VMID (word 2) and S2TTB (word 3)")
        .containsExactlyInAnyOrder(
            "1/" + Long.toHexString(OLD_TTB),
            "2/" + Long.toHexString(OLD_TTB),
            "1/" + Long.toHexString(NEW_TTB),
            "2/" + Long.toHexString(NEW_TTB));
    assertThat(f.cache.statistics().partialRefetches()).isEqualTo(32);

    f.cache.invalidate(Command.cfgiSte(SID, true));
    for (int i = 0; i < 200; i++) {
      ResolvedStream s = resolve(f);
      assertThat(s.vmid()).as("after the CFGI only the new STE").isEqualTo(2);
      assertThat(s.ste().s2Ttb()).isEqualTo(NEW_TTB);
    }
  }

  @Test
  void withoutWordByWordRefetchEveryFetchIsWhole() throws Exception {
    ConfigFixture f = fixture(1, false);
    writeS2(f, 1, OLD_TTB);
    resolve(f);
    writeS2(f, 2, NEW_TTB);
    for (int i = 0; i < 200; i++) {
      ResolvedStream s = resolve(f);
      assertThat(s.vmid()).isEqualTo(2);
      assertThat(s.ste().s2Ttb()).isEqualTo(NEW_TTB);
    }
    assertThat(f.cache.statistics().partialRefetches()).isZero();
  }

  @Test
  void aNegativeEvictionRateIsRefused() {
    assertThatThrownBy(() -> new ConfigCache(4, 1, -1, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("one in N >= 0");
  }
}
