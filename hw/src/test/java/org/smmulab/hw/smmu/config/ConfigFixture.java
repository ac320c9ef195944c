package org.smmulab.hw.smmu.config;

import org.smmulab.arch.bus.BusAbort;
import org.smmulab.arch.bus.Memory;
import org.smmulab.arch.cd.Cd;
import org.smmulab.arch.cd.CdFields;
import org.smmulab.arch.pte.Granule;
import org.smmulab.arch.ste.Ste;
import org.smmulab.arch.ste.SteFields;
import org.smmulab.arch.ste.StreamConfig;
import org.smmulab.hw.memory.PhysicalMemory;
import org.smmulab.hw.smmu.SmmuConfig;
import org.smmulab.hw.smmu.SmmuPresets;

/** Tables in memory and entries built field by field, for the configuration tests. */
final class ConfigFixture {
  static final long STRTAB = 0x10_0000L;
  static final long CD_TABLE = 0x20_0000L;

  final PhysicalMemory memory = new PhysicalMemory(40);
  final SmmuConfig config;
  final ConfigCache cache;

  ConfigFixture(SmmuConfig config) {
    this(config, new ConfigCache(64, 1));
  }

  ConfigFixture(SmmuConfig config, ConfigCache cache) {
    this.config = config;
    this.cache = cache;
  }

  ConfigFixture() {
    this(SmmuPresets.mmu700Like());
  }

  ConfigFetcher fetcher(Memory mem, IpaTranslator stage2) {
    return new ConfigFetcher(mem, config, cache, stage2);
  }

  ConfigFetcher fetcher() {
    return fetcher(memory, (s, t, ipa) -> ipa);
  }

  static ConfigurationRegisters linear(int log2Size, boolean recordInvalid) {
    return new ConfigurationRegisters(STRTAB, false, 0, log2Size, false, recordInvalid, false);
  }

  static ConfigurationRegisters twoLevel(int split, int log2Size) {
    return new ConfigurationRegisters(STRTAB, true, split, log2Size, false, true, false);
  }

  void write(long address, long[] qwords) throws BusAbort {
    for (int i = 0; i < qwords.length; i++) {
      memory.write64(address + 8L * i, qwords[i]);
    }
  }

  void writeSte(long address, Ste ste) throws BusAbort {
    write(address, ste.toQwords());
  }

  static Ste.Builder<Ste> s1Ste(long cdTable, int cdMax, int fmt, int s1dss) {
    return Ste.builder()
        .set(SteFields.V, 1)
        .set(SteFields.CONFIG, StreamConfig.S1_TRANSLATE.encoding())
        .set(SteFields.S1_CONTEXT_PTR, cdTable)
        .set(SteFields.S1_CD_MAX, cdMax)
        .set(SteFields.S1_FMT, fmt)
        .set(SteFields.S1_DSS, s1dss);
  }

  static Ste.Builder<Ste> s2Ste(int vmid) {
    return Ste.builder()
        .set(SteFields.V, 1)
        .set(SteFields.CONFIG, StreamConfig.S2_TRANSLATE.encoding())
        .set(SteFields.S2_VMID, vmid)
        .set(SteFields.S2_T0SZ, 24)
        .set(SteFields.S2_SL0, 1)
        .set(SteFields.S2_TG, 0)
        .set(SteFields.S2_PS, 5)
        .set(SteFields.S2_AA64, 1)
        .set(SteFields.S2_R, 1)
        .set(SteFields.S2_TTB, 0x30_0000L);
  }

  static Cd.Builder<Cd> cd(int asid) {
    return Cd.builder()
        .set(CdFields.V, 1)
        .set(CdFields.AA64, 1)
        .set(CdFields.A, 1)
        .set(CdFields.R, 1)
        .set(CdFields.T0SZ, 16)
        .set(CdFields.TG0, Granule.SIZE_4K.tg0Encoding())
        .set(CdFields.EPD1, 1)
        .set(CdFields.IPS, 5)
        .set(CdFields.ASID, asid)
        .set(CdFields.TTB0, 0x40_0000L);
  }
}
