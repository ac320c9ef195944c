package org.smmulab.verify.scenario;

import java.util.List;
import java.util.Map;
import org.smmulab.hw.pcie.AtcEntry;
import org.smmulab.hw.smmu.observe.SmmuStatistics;
import org.smmulab.hw.smmu.tlb.TlbEntry;

/**
 * What a {@code show} step saw. A part that was not asked for is {@code null}; maps are keyed by
 * instance (or domain, or device) in declaration order.
 *
 * @param tags per instance, its live tags
 * @param arrays per domain, every slot of its invalidation array (trash included)
 * @param lastCommands per instance, the commands of the last operation step
 * @param totalCommands per instance, the commands since the steps began
 * @param tlb per instance, its TLB entries
 * @param atc per device with ATS, its ATC entries
 * @param counters per instance, its hardware counters (since it was made)
 */
public record Snapshot(
    Map<String, List<TagInfo>> tags,
    Map<String, List<ArrayEntry>> arrays,
    Map<String, Map<String, Long>> lastCommands,
    Map<String, Map<String, Long>> totalCommands,
    Map<String, List<TlbEntry>> tlb,
    Map<String, List<AtcEntry>> atc,
    Map<String, SmmuStatistics> counters) {}
