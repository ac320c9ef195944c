package org.smmulab.hw.smmu.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.smmulab.hw.smmu.config.ConfigFixture.CD_TABLE;
import static org.smmulab.hw.smmu.config.ConfigFixture.STRTAB;
import static org.smmulab.hw.smmu.config.ConfigFixture.cd;
import static org.smmulab.hw.smmu.config.ConfigFixture.linear;
import static org.smmulab.hw.smmu.config.ConfigFixture.s1Ste;
import static org.smmulab.hw.smmu.config.ConfigFixture.s2Ste;

import org.junit.jupiter.api.Test;
import org.smmulab.arch.bus.BusAbort;
import org.smmulab.arch.cd.CdFields;
import org.smmulab.arch.cd.L1CdDescriptor;
import org.smmulab.arch.cmd.Command;
import org.smmulab.arch.event.EventRecord;
import org.smmulab.arch.event.EventType;
import org.smmulab.arch.ste.L1StreamDescriptor;
import org.smmulab.arch.ste.Ste;
import org.smmulab.arch.ste.SteFields;
import org.smmulab.arch.ste.StreamConfig;
import org.smmulab.hw.smmu.tlb.CacheTag;
import org.smmulab.hw.smmu.txn.Transaction;
import org.smmulab.hw.smmu.txn.TranslationFault;

class ConfigFetcherTest {
  private final ConfigFixture f = new ConfigFixture();

  private EventRecord eventOf(ConfigurationRegisters regs, Transaction txn) {
    try {
      f.fetcher().resolve(regs, txn);
    } catch (TranslationFault fault) {
      return fault.event();
    }
    throw new AssertionError("expected " + txn + " to be terminated");
  }

  @Test
  void aStageOneStreamResolvesToItsCd() throws Exception {
    f.writeSte(STRTAB + 5 * 64, s1Ste(CD_TABLE, 0, 0, 0).build());
    f.write(CD_TABLE, cd(0x42).build().toQwords());

    ResolvedStream s = f.fetcher().resolve(linear(8, true), Transaction.read(5, 0x1000));

    assertThat(s.mode()).isEqualTo(ResolvedStream.Mode.TRANSLATE);
    assertThat(s.stage1()).isTrue();
    assertThat(s.stage2()).isFalse();
    assertThat(s.asid()).isEqualTo(0x42);
    assertThat(s.vmid()).isZero();
    assertThat(s.world()).isEqualTo(CacheTag.World.NS_EL1);
    assertThat(s.cd().ttb0()).isEqualTo(0x40_0000L);
  }

  @Test
  void streamIdsOutsideTheTableAreRecordedOnlyWithRecinvsid() {
    EventRecord recorded = eventOf(linear(4, true), Transaction.read(16, 0));
    assertThat(recorded.type()).isEqualTo(EventType.C_BAD_STREAMID);
    assertThat(recorded.sid()).isEqualTo(16);
    assertThat(eventOf(linear(4, false), Transaction.read(16, 0))).isNull();
  }

  @Test
  void invalidStesAreCachedUntilCfgi() throws Exception {
    assertThat(eventOf(linear(8, true), Transaction.read(3, 0)).type())
        .isEqualTo(EventType.C_BAD_STE);
    f.writeSte(STRTAB + 3 * 64, Ste.builder().set(SteFields.V, 1).set(SteFields.CONFIG, 4).build());

    assertThat(eventOf(linear(8, true), Transaction.read(3, 0)).type())
        .as("the invalid STE is still cached")
        .isEqualTo(EventType.C_BAD_STE);
    assertThat(f.cache.statistics().hits())
        .as("the error is cached with the STE it came from: one lookup answered it")
        .isEqualTo(1);
    assertThat(f.cache.invalidate(Command.cfgiSte(3, true)))
        .as("the STE and the error resolved from it")
        .isEqualTo(2);
    assertThat(f.fetcher().resolve(linear(8, true), Transaction.read(3, 0)).mode())
        .isEqualTo(ResolvedStream.Mode.BYPASS);
  }

  @Test
  void abortAndReservedConfigsTerminateSilentlyAndBypassRefusesSubstreams() throws Exception {
    f.writeSte(STRTAB, Ste.builder().set(SteFields.V, 1).set(SteFields.CONFIG, 0).build());
    f.writeSte(STRTAB + 64, Ste.builder().set(SteFields.V, 1).set(SteFields.CONFIG, 2).build());
    f.writeSte(STRTAB + 128, Ste.builder().set(SteFields.V, 1).set(SteFields.CONFIG, 4).build());
    ConfigFetcher fetcher = f.fetcher();

    assertThat(fetcher.resolve(linear(8, true), Transaction.read(0, 0)).mode())
        .isEqualTo(ResolvedStream.Mode.ABORT);
    assertThat(fetcher.resolve(linear(8, true), Transaction.read(1, 0)).mode())
        .isEqualTo(ResolvedStream.Mode.ABORT);
    assertThat(fetcher.resolve(linear(8, true), Transaction.read(2, 0)).mode())
        .isEqualTo(ResolvedStream.Mode.BYPASS);
    EventRecord e = eventOf(linear(8, true), Transaction.read(2, 0).withSubstream(7));
    assertThat(e.type()).isEqualTo(EventType.C_BAD_SUBSTREAMID);
    assertThat(e.ssid()).isEqualTo(7);
  }

  @Test
  void twoLevelStreamTablesHonourSpan() throws Exception {
    long l2 = 0x50_0000L;
    // SPLIT 8: SID 0x305 is L1 index 3, L2 index 5.
    f.write(STRTAB + 3 * 8, new long[] {L1StreamDescriptor.of(l2, 4).toQwords()[0]});
    f.writeSte(l2 + 5 * 64, Ste.builder().set(SteFields.V, 1).set(SteFields.CONFIG, 4).build());
    ConfigurationRegisters regs = ConfigFixture.twoLevel(8, 16);

    assertThat(f.fetcher().resolve(regs, Transaction.read(0x305, 0)).mode())
        .isEqualTo(ResolvedStream.Mode.BYPASS);
    assertThat(eventOf(regs, Transaction.read(0x308, 0)).type())
        .as("SPAN 4 covers 8 STEs")
        .isEqualTo(EventType.C_BAD_STREAMID);
    assertThat(eventOf(regs, Transaction.read(0x405, 0)).type())
        .as("L1STD with SPAN 0")
        .isEqualTo(EventType.C_BAD_STREAMID);
  }

  @Test
  void substreamRulesFollowS1CdMaxAndS1Dss() throws Exception {
    f.writeSte(STRTAB, s1Ste(CD_TABLE, 0, 0, 0).build());
    f.writeSte(STRTAB + 64, s1Ste(CD_TABLE, 3, 0, SteFields.S1DSS_TERMINATE).build());
    f.writeSte(STRTAB + 128, s1Ste(CD_TABLE, 3, 0, SteFields.S1DSS_BYPASS).build());
    f.writeSte(STRTAB + 192, s1Ste(CD_TABLE, 3, 0, SteFields.S1DSS_SSID0).build());
    for (int i = 0; i < 8; i++) {
      f.write(CD_TABLE + 64L * i, cd(0x100 + i).build().toQwords());
    }
    ConfigurationRegisters regs = linear(8, true);
    ConfigFetcher fetcher = f.fetcher();

    assertThat(eventOf(regs, Transaction.read(0, 0).withSubstream(1)).type())
        .isEqualTo(EventType.C_BAD_SUBSTREAMID);
    assertThat(eventOf(regs, Transaction.read(1, 0).withSubstream(8)).type())
        .isEqualTo(EventType.C_BAD_SUBSTREAMID);
    assertThat(fetcher.resolve(regs, Transaction.read(1, 0).withSubstream(5)).asid())
        .isEqualTo(0x105);
    EventRecord disabled = eventOf(regs, Transaction.read(1, 0));
    assertThat(disabled.type()).isEqualTo(EventType.F_STREAM_DISABLED);
    assertThat(disabled.sid()).isEqualTo(1);
    assertThat(fetcher.resolve(regs, Transaction.read(2, 0)).mode())
        .isEqualTo(ResolvedStream.Mode.BYPASS);
    assertThat(fetcher.resolve(regs, Transaction.read(3, 0)).asid()).isEqualTo(0x100);
    assertThat(eventOf(regs, Transaction.read(3, 0).withSubstream(0)).type())
        .as("SubstreamID 0 belongs to traffic without one")
        .isEqualTo(EventType.F_STREAM_DISABLED);
  }

  @Test
  void twoLevelCdTablesFindTheLeafAndRefuseInvalidL1Entries() throws Exception {
    long leaf = 0x60_0000L;
    f.writeSte(STRTAB, s1Ste(CD_TABLE, 12, SteFields.S1FMT_2LVL_64K, 0).build());
    // SSID 0x805: L1 index 2, leaf index 5.
    f.write(CD_TABLE + 2 * 8, new long[] {L1CdDescriptor.of(leaf).toQwords()[0]});
    f.write(leaf + 5 * 64, cd(0x77).build().toQwords());
    ConfigurationRegisters regs = linear(8, true);

    assertThat(f.fetcher().resolve(regs, Transaction.read(0, 0).withSubstream(0x805)).asid())
        .isEqualTo(0x77);
    EventRecord e = eventOf(regs, Transaction.read(0, 0).withSubstream(0xC05));
    assertThat(e.type()).isEqualTo(EventType.C_BAD_SUBSTREAMID);
    assertThat(e.ssid()).isEqualTo(0xC05);
  }

  @Test
  void fetchAbortsReportTheAddress() throws Exception {
    ConfigurationRegisters beyondMemory =
        new ConfigurationRegisters(1L << 41, false, 0, 8, false, true, false);
    EventRecord ste = eventOf(beyondMemory, Transaction.read(2, 0));
    assertThat(ste.type()).isEqualTo(EventType.F_STE_FETCH);
    assertThat(ste.fetchAddress()).isEqualTo((1L << 41) + 128);

    f.writeSte(STRTAB, s1Ste(1L << 41, 0, 0, 0).build());
    EventRecord cdFetch = eventOf(linear(8, true), Transaction.read(0, 0));
    assertThat(cdFetch.type()).isEqualTo(EventType.F_CD_FETCH);
    assertThat(cdFetch.fetchAddress()).isEqualTo(1L << 41);

    f.write(CD_TABLE, cd(7).build().toQwords());
    f.writeSte(STRTAB + 64, s1Ste(CD_TABLE, 0, 0, 0).build());
    boolean[] abortOnce = {true};
    ConfigFetcher flaky =
        f.fetcher(
            new ForwardingMemory(f.memory) {
              @Override
              public long read64(long pa) throws BusAbort {
                if (pa == CD_TABLE && abortOnce[0]) {
                  abortOnce[0] = false;
                  throw new BusAbort(pa, "transient");
                }
                return super.read64(pa);
              }
            },
            (s, t, ipa) -> ipa);
    assertThatThrownBy(() -> flaky.resolve(linear(8, true), Transaction.read(1, 0)))
        .isInstanceOf(TranslationFault.class);
    assertThat(flaky.resolve(linear(8, true), Transaction.read(1, 0)).asid())
        .as("a fetch abort is not cached: the next transaction fetches again")
        .isEqualTo(7);
  }

  @Test
  void illegalEntriesAreBadSteAndBadCd() throws Exception {
    f.writeSte(STRTAB, s1Ste(CD_TABLE, 0, 0, 0).set(SteFields.S1_STALLD, 1).build());
    f.writeSte(STRTAB + 64, s2Ste(1).set(SteFields.S2_SL0, 3).build());
    f.writeSte(STRTAB + 128, s2Ste(1).set(SteFields.S2_AA64, 0).build());
    f.writeSte(STRTAB + 192, s1Ste(CD_TABLE, 0, 0, 0).build());
    f.write(CD_TABLE, cd(1).set(CdFields.A, 0).build().toQwords());
    ConfigurationRegisters regs = linear(8, true);

    assertThat(eventOf(regs, Transaction.read(0, 0)).type()).isEqualTo(EventType.C_BAD_STE);
    assertThat(eventOf(regs, Transaction.read(1, 0)).type()).isEqualTo(EventType.C_BAD_STE);
    assertThat(eventOf(regs, Transaction.read(2, 0)).type()).isEqualTo(EventType.C_BAD_STE);
    assertThat(eventOf(regs, Transaction.read(3, 0)).type()).isEqualTo(EventType.C_BAD_CD);
  }

  @Test
  void stageTwoStreamsCarryTheirVmid() throws Exception {
    f.writeSte(STRTAB, s2Ste(0x1234).build());
    ResolvedStream s = f.fetcher().resolve(linear(8, true), Transaction.read(0, 0));
    assertThat(s.stage2()).isTrue();
    assertThat(s.stage1()).isFalse();
    assertThat(s.vmid()).isEqualTo(0x1234);
    assertThat(s.kind()).isEqualTo(CacheTag.Kind.STAGE2);
  }

  @Test
  void nestedCdTablesAreReadThroughStageTwo() throws Exception {
    long ipaToPa = 0x1_0000_0000L;
    f.writeSte(
        STRTAB,
        s2Ste(9)
            .set(SteFields.CONFIG, StreamConfig.NESTED.encoding())
            .set(SteFields.S1_CONTEXT_PTR, CD_TABLE)
            .build());
    f.write(CD_TABLE + ipaToPa, cd(0x55).build().toQwords());
    ResolvedStream s =
        f.fetcher(f.memory, (stream, txn, ipa) -> ipa + ipaToPa)
            .resolve(linear(8, true), Transaction.read(0, 0));
    assertThat(s.kind()).isEqualTo(CacheTag.Kind.NESTED);
    assertThat(s.asid()).isEqualTo(0x55);
    assertThat(s.vmid()).isEqualTo(9);

    f.cache.invalidateAll();
    ConfigFetcher faulting =
        f.fetcher(
            f.memory,
            (stream, txn, ipa) -> {
              throw new TranslationFault(null, "stage 2 refuses");
            });
    assertThatThrownBy(() -> faulting.resolve(linear(8, true), Transaction.read(0, 0)))
        .isInstanceOf(TranslationFault.class)
        .hasMessage("stage 2 refuses");
  }

  @Test
  void aFetchOverlappingACfgiIsNotCachedAndAnSteCanBeSeenTorn() throws Exception {
    f.writeSte(STRTAB, Ste.builder().set(SteFields.V, 1).set(SteFields.CONFIG, 4).build());
    long[] newQwords = s2Ste(3).build().toQwords();
    // While the fetch reads qword 0, the "driver" rewrites qword 1 and issues a CFGI.
    ConfigFetcher racing =
        f.fetcher(
            new ForwardingMemory(f.memory) {
              @Override
              public long read64(long pa) throws BusAbort {
                long value = super.read64(pa);
                if (pa == STRTAB) {
                  f.memory.write64(STRTAB + 8, newQwords[1] | 1L << 19);
                  f.cache.invalidate(Command.cfgiSte(0, true));
                }
                return value;
              }
            },
            (s, t, ipa) -> ipa);

    ResolvedStream torn = racing.resolve(linear(8, true), Transaction.read(0, 0));

    assertThat(torn.ste().qword(0)).as("old qword 0").isEqualTo(9L);
    assertThat(torn.ste().mergeEvents()).as("new qword 1").isTrue();
    assertThat(f.cache.size()).as("the overlapping fetch was not cached").isZero();
    assertThat(f.cache.statistics().staleInsertsDropped())
        .as("neither the STE nor the resolved configuration")
        .isEqualTo(2);
  }

  @Test
  void capacityEvictsAndCfgiScopesRemoveWhatTheyCover() throws Exception {
    ConfigCache small = new ConfigCache(2, 3);
    for (int sid = 0; sid < 3; sid++) {
      small.insert(ConfigCache.steKey(sid), "ste" + sid, small.generation());
    }
    assertThat(small.size()).isEqualTo(2);
    assertThat(small.statistics().evictions()).isEqualTo(1);

    ConfigCache c = new ConfigCache(64, 3);
    for (int sid = 0; sid < 8; sid++) {
      c.insert(ConfigCache.steKey(sid), "ste", c.generation());
      c.insert(ConfigCache.cdKey(sid, 1), "cd", c.generation());
      c.insert(ConfigCache.cdKey(sid, 2), "cd", c.generation());
    }
    c.insert(ConfigCache.l1CdKey(4, 0), "l1cd", c.generation());
    assertThat(c.invalidate(Command.cfgiSteRange(5, 1))).as("SIDs 4..7").isEqualTo(4);
    assertThat(c.invalidate(Command.cfgiCd(1, 2, true))).isEqualTo(1);
    assertThat(c.invalidate(Command.cfgiCd(4, 1, false))).as("CD and L1CD").isEqualTo(2);
    assertThat(c.invalidate(Command.cfgiCdAll(0))).isEqualTo(2);
    assertThat(c.invalidate(Command.tlbiNsnhAll())).isZero();
    // 25 inserted, 4 + 1 + 2 + 2 removed.
    assertThat(c.size()).isEqualTo(16);
    assertThat(c.invalidate(Command.cfgiAll())).isEqualTo(16);
    assertThat(c.size()).isZero();
  }
}
