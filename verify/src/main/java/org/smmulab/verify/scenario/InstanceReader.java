package org.smmulab.verify.scenario;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.smmulab.arch.pte.Granule;
import org.smmulab.hw.smmu.SmmuConfig;
import org.smmulab.hw.smmu.SmmuPresets;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads one entry of {@code instances:}: a name, a preset (default {@code mmu-700-like}) and any
 * overrides of the preset's ID-register features and model knobs.
 */
final class InstanceReader {
  static final String DEFAULT_PRESET = "mmu-700-like";

  static final List<String> KEYS =
      List.of(
          "name",
          "preset",
          "stage1",
          "stage2",
          "asid-bits",
          "vmid-bits",
          "sid-bits",
          "ssid-bits",
          "oas",
          "granules",
          "ats",
          "pri",
          "msi",
          "sev",
          "hyp",
          "cd2l",
          "two-level-stream-table",
          "coherent",
          "range-invalidation",
          "bbml",
          "tlb-entries",
          "tlb-replacement",
          "walk-cache",
          "walk-cache-entries",
          "config-cache-entries",
          "config-eviction-one-in",
          "config-partial-refetch",
          "speculative-fill",
          "speculative-fill-period",
          "strict-ttl",
          "strict-reserved-encodings",
          "async-commands",
          "seed");

  private static final List<String> OAS_BITS = List.of("32", "36", "40", "42", "44", "48", "52");
  private static final List<String> ID_BITS = List.of("8", "16");
  private static final List<String> GRANULES = List.of("4K", "16K", "64K");
  private static final int MAX_CACHE_ENTRIES = 1 << 16;

  private InstanceReader() {}

  static InstanceSpec read(NodeReader r, Node node) throws ScenarioException {
    NodeReader.Fields f = r.fields(node, "an instance", KEYS);
    String name = r.name(f.require("name"), "'name'");
    String preset = DEFAULT_PRESET;
    if (f.has("preset")) {
      preset = r.choice(f.get("preset"), "'preset'", List.copyOf(SmmuPresets.names()));
    }
    SmmuConfig base = SmmuPresets.named(preset);
    SmmuConfig.Builder b = base.toBuilder();
    boolean stage1 = f.has("stage1") ? r.bool(f.get("stage1"), "'stage1'") : base.stage1();
    boolean stage2 = f.has("stage2") ? r.bool(f.get("stage2"), "'stage2'") : base.stage2();
    b.stages(stage1, stage2);
    if (f.has("asid-bits")) {
      b.asid16(r.choice(f.get("asid-bits"), "'asid-bits'", ID_BITS).equals("16"));
    }
    if (f.has("vmid-bits")) {
      b.vmid16(r.choice(f.get("vmid-bits"), "'vmid-bits'", ID_BITS).equals("16"));
    }
    if (f.has("sid-bits")) {
      b.sidBits(r.integer(f.get("sid-bits"), "'sid-bits'", 0, 32));
    }
    if (f.has("ssid-bits")) {
      b.ssidBits(r.integer(f.get("ssid-bits"), "'ssid-bits'", 0, 20));
    }
    if (f.has("oas")) {
      b.oasBits(Integer.parseInt(r.choice(f.get("oas"), "'oas'", OAS_BITS)));
    }
    if (f.has("granules")) {
      b.granules(granules(r, f.get("granules")));
    }
    if (f.has("bbml")) {
      b.bbml(r.integer(f.get("bbml"), "'bbml'", 0, 2));
    }
    booleans(r, f, b);
    b.model(knobs(r, f, base.model()));
    try {
      return new InstanceSpec(r.at(node), name, preset, b.build());
    } catch (IllegalArgumentException e) {
      throw r.error(node, "instance " + name + " is impossible: " + e.getMessage());
    }
  }

  private static Set<Granule> granules(NodeReader r, Node node) throws ScenarioException {
    Set<Granule> out = EnumSet.noneOf(Granule.class);
    for (Node item : r.listOrOne(node, "'granules'")) {
      out.add(Granule.ofSize(Numbers.parseSize(r.choice(item, "a granule", GRANULES))));
    }
    if (out.isEmpty()) {
      throw r.error(node, "'granules' needs at least one of " + String.join(", ", GRANULES));
    }
    return out;
  }

  private static void booleans(NodeReader r, NodeReader.Fields f, SmmuConfig.Builder b)
      throws ScenarioException {
    if (f.has("ats")) {
      b.ats(r.bool(f.get("ats"), "'ats'"));
    }
    if (f.has("pri")) {
      b.pri(r.bool(f.get("pri"), "'pri'"));
    }
    if (f.has("msi")) {
      b.msi(r.bool(f.get("msi"), "'msi'"));
    }
    if (f.has("sev")) {
      b.sev(r.bool(f.get("sev"), "'sev'"));
    }
    if (f.has("hyp")) {
      b.hyp(r.bool(f.get("hyp"), "'hyp'"));
    }
    if (f.has("cd2l")) {
      b.cd2l(r.bool(f.get("cd2l"), "'cd2l'"));
    }
    if (f.has("two-level-stream-table")) {
      b.twoLevelStreamTable(r.bool(f.get("two-level-stream-table"), "'two-level-stream-table'"));
    }
    if (f.has("coherent")) {
      b.coherent(r.bool(f.get("coherent"), "'coherent'"));
    }
    if (f.has("range-invalidation")) {
      b.rangeInvalidation(r.bool(f.get("range-invalidation"), "'range-invalidation'"));
    }
  }

  private static SmmuConfig.ModelKnobs knobs(
      NodeReader r, NodeReader.Fields f, SmmuConfig.ModelKnobs k) throws ScenarioException {
    SmmuConfig.ModelKnobs.Builder b = k.toBuilder();
    if (f.has("tlb-entries") || f.has("tlb-replacement")) {
      b.tlb(
          f.has("tlb-entries")
              ? r.integer(f.get("tlb-entries"), "'tlb-entries'", 1, MAX_CACHE_ENTRIES)
              : k.tlbEntries(),
          f.has("tlb-replacement")
              ? SmmuConfig.Replacement.valueOf(
                  r.choice(f.get("tlb-replacement"), "'tlb-replacement'", List.of("LRU", "RANDOM")))
              : k.replacement());
    }
    if (f.has("seed")) {
      b.seed(r.number(f.get("seed"), "'seed'"));
    }
    if (f.has("walk-cache") || f.has("walk-cache-entries")) {
      b.walkCache(
          f.has("walk-cache") ? r.bool(f.get("walk-cache"), "'walk-cache'") : k.walkCache(),
          f.has("walk-cache-entries")
              ? r.integer(f.get("walk-cache-entries"), "'walk-cache-entries'", 1, MAX_CACHE_ENTRIES)
              : k.walkCacheEntries());
    }
    if (f.has("config-cache-entries")) {
      b.configCacheEntries(
          r.integer(f.get("config-cache-entries"), "'config-cache-entries'", 1, MAX_CACHE_ENTRIES));
    }
    if (f.has("config-eviction-one-in")) {
      b.configEvictionOneIn(
          r.integer(
              f.get("config-eviction-one-in"), "'config-eviction-one-in'", 0, Integer.MAX_VALUE));
    }
    if (f.has("config-partial-refetch")) {
      b.configPartialRefetch(r.bool(f.get("config-partial-refetch"), "'config-partial-refetch'"));
    }
    if (f.has("speculative-fill")) {
      b.speculativeFill(r.bool(f.get("speculative-fill"), "'speculative-fill'"));
    }
    if (f.has("speculative-fill-period")) {
      b.speculativeFillPeriod(
          r.integer(
              f.get("speculative-fill-period"), "'speculative-fill-period'", 1, Integer.MAX_VALUE));
    }
    if (f.has("strict-ttl")) {
      b.strictTtl(r.bool(f.get("strict-ttl"), "'strict-ttl'"));
    }
    if (f.has("strict-reserved-encodings")) {
      b.strictReservedEncodings(
          r.bool(f.get("strict-reserved-encodings"), "'strict-reserved-encodings'"));
    }
    if (f.has("async-commands")) {
      b.asyncCommands(r.bool(f.get("async-commands"), "'async-commands'"));
    }
    return b.build();
  }
}
