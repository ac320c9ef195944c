package org.smmulab.hw.smmu.observe;

import java.util.Map;
import org.smmulab.hw.pcie.AddressTranslationCache;
import org.smmulab.hw.smmu.config.ConfigCache;
import org.smmulab.hw.smmu.regs.EventQueueWriter;
import org.smmulab.hw.smmu.tlb.CacheStatistics;

/**
 * A snapshot of one instance's counters, for reports and JSON output. Counters are read one after
 * another while the instance may be running, so they may come from slightly different moments.
 *
 * @param instance the instance's name
 * @param commandsByOpcode commands consumed, by opcode name (only opcodes seen)
 * @param commandErrors consumption stops, by CMDQ_CONS.ERR name (only errors seen)
 * @param eventsByType events produced, by type name (only types seen)
 * @param eventQueue what happened to the produced records
 * @param translated translations that reached memory through a translation (TLB or walk)
 * @param bypassed transactions passed untranslated
 * @param terminated transactions terminated
 * @param tlbHits translations served by the TLB
 * @param walks translations that walked the tables
 * @param tlb TLB counters
 * @param walkCache walk-cache counters (zero when the walk cache is off)
 * @param configCache config-cache counters
 * @param atc the endpoints' ATC counters, summed
 */
public record SmmuStatistics(
    String instance,
    Map<String, Long> commandsByOpcode,
    Map<String, Long> commandErrors,
    Map<String, Long> eventsByType,
    EventQueueWriter.Counts eventQueue,
    long translated,
    long bypassed,
    long terminated,
    long tlbHits,
    long walks,
    CacheStatistics tlb,
    CacheStatistics walkCache,
    ConfigCache.Statistics configCache,
    AddressTranslationCache.Statistics atc) {

  /** Copies the maps. */
  public SmmuStatistics {
    commandsByOpcode = Map.copyOf(commandsByOpcode);
    commandErrors = Map.copyOf(commandErrors);
    eventsByType = Map.copyOf(eventsByType);
  }

  /** Commands consumed, all opcodes. */
  public long commands() {
    return commandsByOpcode.values().stream().mapToLong(Long::longValue).sum();
  }
}
