package org.smmulab.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.smmulab.hw.pcie.AtcEntry;
import org.smmulab.hw.smmu.observe.SmmuStatistics;
import org.smmulab.hw.smmu.tlb.CacheStatistics;
import org.smmulab.hw.smmu.tlb.TlbEntry;
import org.smmulab.verify.scenario.ArrayEntry;
import org.smmulab.verify.scenario.Numbers;
import org.smmulab.verify.scenario.Snapshot;
import org.smmulab.verify.scenario.TagInfo;

/** Prints what a {@code show} step saw, and tag lists, as indented text. */
final class SnapshotText {
  private SnapshotText() {}

  static void print(PrintWriter out, String indent, Snapshot s) {
    if (s.tags() != null) {
      out.println(indent + "tags:");
      s.tags().forEach((i, tags) -> out.println(indent + "  " + i + ": " + tags(tags)));
    }
    if (s.arrays() != null) {
      out.println(indent + "invalidation arrays:");
      s.arrays().forEach((d, entries) -> out.println(indent + "  " + d + ": " + array(entries)));
    }
    if (s.lastCommands() != null) {
      out.println(indent + "commands (last operation | since the steps began):");
      s.totalCommands()
          .keySet()
          .forEach(
              i ->
                  out.println(
                      indent
                          + "  "
                          + i
                          + ": "
                          + TextBlocks.counts(s.lastCommands().getOrDefault(i, Map.of()))
                          + " | "
                          + TextBlocks.counts(s.totalCommands().get(i))));
      if (s.totalCommands().isEmpty()) {
        out.println(indent + "  no instance received a command since the steps began");
      }
    }
    if (s.tlb() != null) {
      s.tlb().forEach((i, entries) -> tlb(out, indent, i, entries));
      s.atc().forEach((d, entries) -> atc(out, indent, d, entries));
    }
    if (s.counters() != null) {
      out.println(indent + "counters:");
      s.counters().forEach((i, stats) -> out.println(indent + "  " + i + ": " + counters(stats)));
    }
  }

  /** {@code "ASID 1 shared (2 users), VMID 1 vm (1 user)"} or {@code "no tags"}. */
  static String tags(List<TagInfo> tags) {
    if (tags.isEmpty()) {
      return "no tags";
    }
    return tags.stream()
        .map(t -> t.label() + " " + t.domain() + " (" + users(t.users()) + ")")
        .collect(Collectors.joining(", "));
  }

  static String users(int n) {
    return n + (n == 1 ? " user" : " users");
  }

  private static String array(List<ArrayEntry> entries) {
    if (entries.isEmpty()) {
      return "empty";
    }
    return entries.stream().map(ArrayEntry::describe).collect(Collectors.joining(", "));
  }

  private static void tlb(PrintWriter out, String indent, String instance, List<TlbEntry> list) {
    out.println(indent + instance + " TLB: " + entries(list.size()));
    for (TlbEntry e : TextBlocks.sortedTlb(list)) {
      out.printf(
          "%s  %s vmid %d asid %d%s 0x%x +%s -> 0x%x %s L%d%n",
          indent,
          e.tag().kind(),
          e.tag().vmid(),
          e.tag().asid(),
          e.tag().global() ? " global" : "",
          e.inputBase(),
          Numbers.size(1L << e.sizeShift()),
          e.outputBase(),
          TextBlocks.permissions(e.permissions()),
          e.level());
    }
  }

  private static void atc(PrintWriter out, String indent, String device, List<AtcEntry> list) {
    out.println(indent + device + " ATC: " + entries(list.size()));
    for (AtcEntry e : TextBlocks.sortedAtc(list)) {
      out.printf(
          "%s  %s0x%x +%s -> 0x%x %s%n",
          indent,
          e.pasidValid() ? "PASID " + e.pasid() + " " : "",
          e.inputBase(),
          Numbers.size(1L << e.sizeShift()),
          e.outputBase(),
          TextBlocks.permissions(e.permissions()));
    }
  }

  private static String entries(int n) {
    return n + (n == 1 ? " entry" : " entries");
  }

  /** The counters in one line. */
  static String counters(SmmuStatistics s) {
    CacheStatistics tlb = s.tlb();
    var cc = s.configCache();
    var atc = s.atc();
    String events =
        s.eventsByType().isEmpty()
            ? "no events"
            : "events "
                + s.eventsByType().entrySet().stream()
                    .sorted(Map.Entry.comparingByKey())
                    .map(e -> e.getKey() + " " + e.getValue())
                    .collect(Collectors.joining(", "));
    return String.format(
        "%d translated (%d TLB hits, %d walks), %d bypassed, %d terminated; %s; %d commands;"
            + " TLB %d inserts %d evictions %d invalidated; config cache %d hits %d misses;"
            + " ATCs %d hits %d misses",
        s.translated(),
        s.tlbHits(),
        s.walks(),
        s.bypassed(),
        s.terminated(),
        events,
        s.commands(),
        tlb.inserts(),
        tlb.evictions(),
        tlb.invalidated(),
        cc.hits(),
        cc.misses(),
        atc.hits(),
        atc.misses());
  }
}
