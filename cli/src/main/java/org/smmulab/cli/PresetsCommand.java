package org.smmulab.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.smmulab.arch.pte.Granule;
import org.smmulab.hw.smmu.SmmuConfig;
import org.smmulab.hw.smmu.SmmuPresets;
import picocli.CommandLine;

/** {@code smmulab presets}: the hardware presets and their key parameters. */
@CommandLine.Command(
    name = "presets",
    header = "List the hardware presets and their key parameters.",
    mixinStandardHelpOptions = true,
    description =
        "List the hardware presets a scenario instance (or smmulab stress --preset) can start from, with the features their ID registers report and how aggressively their caches behave.")
final class PresetsCommand implements Callable<Integer> {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Option(names = "--json", description = "Print one JSON document instead of text.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      ArrayNode presets = MAPPER.createArrayNode();
      for (String name : SmmuPresets.names()) {
        ObjectNode n = presets.addObject();
        n.put("name", name);
        n.set("config", config(SmmuPresets.named(name)));
      }
      ObjectNode root = MAPPER.createObjectNode();
      root.set("presets", presets);
      out.println(MAPPER.writeValueAsString(root));
    } else {
      for (String name : SmmuPresets.names()) {
        printText(out, name, SmmuPresets.named(name));
      }
      out.println("Override any of these per instance in a scenario file: docs/scenarios.md.");
    }
    out.flush();
    return 0;
  }

  private static void printText(PrintWriter out, String name, SmmuConfig c) {
    out.println(name);
    out.printf("  %s%n", features(c));
    out.printf(
        "  StreamIDs %d bits (%s stream table), SubstreamIDs %d bits%s, %d-bit OAS, granules %s%n",
        c.sidBits(),
        c.twoLevelStreamTable() ? "2-level" : "linear",
        c.ssidBits(),
        c.cd2l() ? " (2-level CD tables)" : "",
        c.oasBits(),
        granules(c));
    SmmuConfig.ModelKnobs k = c.model();
    out.printf(
        "  model: TLB %d entries (%s), walk cache %s, config cache %d entries%s, speculative fill"
            + " %s, strict TTL %s, commands consumed %s%n",
        k.tlbEntries(),
        k.replacement().name().toLowerCase(Locale.ROOT),
        k.walkCache() ? k.walkCacheEntries() + " entries" : "off",
        k.configCacheEntries(),
        configCacheBehaviour(k),
        k.speculativeFill() ? "on (walks, 1 hit in " + k.speculativeFillPeriod() + ")" : "off",
        onOff(k.strictTtl()),
        k.asyncCommands() ? "by its own thread" : "during the CMDQ_PROD write");
    out.println();
  }

  private static String configCacheBehaviour(SmmuConfig.ModelKnobs k) {
    String eviction =
        k.configEvictionOneIn() > 0 ? ", 1 lookup in " + k.configEvictionOneIn() + " evicts" : "";
    return eviction + (k.configPartialRefetch() ? ", word-by-word refetch" : "");
  }

  /** The ID-register features in one line, e.g. {@code "stages 1+2, 16-bit ASIDs, ATS, ..."}. */
  static String features(SmmuConfig c) {
    List<String> parts = new ArrayList<>();
    parts.add(
        c.stage1() && c.stage2() ? "stages 1+2" : c.stage1() ? "stage 1 only" : "stage 2 only");
    parts.add(c.asidBits() + "-bit ASIDs");
    if (c.stage2()) {
      parts.add(c.vmidBits() + "-bit VMIDs");
    }
    addIf(parts, c.ats(), "ATS");
    addIf(parts, c.pri(), "PRI");
    addIf(parts, c.msi(), "MSI");
    addIf(parts, c.rangeInvalidation(), "range invalidation");
    addIf(parts, c.coherent(), "coherent");
    return String.join(", ", parts);
  }

  private static void addIf(List<String> parts, boolean present, String feature) {
    if (present) {
      parts.add(feature);
    }
  }

  private static String granules(SmmuConfig c) {
    List<String> out = new ArrayList<>();
    for (Granule g : Granule.values()) {
      if (c.granules().contains(g)) {
        out.add(g.toString());
      }
    }
    return String.join(" ", out);
  }

  private static String onOff(boolean on) {
    return on ? "on" : "off";
  }

  /** A configuration as JSON, in the terms of scenario-file overrides. */
  static ObjectNode config(SmmuConfig c) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("stage1", c.stage1());
    n.put("stage2", c.stage2());
    n.put("asidBits", c.asidBits());
    n.put("vmidBits", c.vmidBits());
    n.put("sidBits", c.sidBits());
    n.put("ssidBits", c.ssidBits());
    n.put("oas", c.oasBits());
    ArrayNode granules = n.putArray("granules");
    for (Granule g : Granule.values()) {
      if (c.granules().contains(g)) {
        granules.add(g.toString());
      }
    }
    n.put("ats", c.ats());
    n.put("pri", c.pri());
    n.put("msi", c.msi());
    n.put("sev", c.sev());
    n.put("hyp", c.hyp());
    n.put("cd2l", c.cd2l());
    n.put("twoLevelStreamTable", c.twoLevelStreamTable());
    n.put("coherent", c.coherent());
    n.put("rangeInvalidation", c.rangeInvalidation());
    n.put("bbml", c.bbml());
    SmmuConfig.ModelKnobs k = c.model();
    ObjectNode model = n.putObject("model");
    model.put("tlbEntries", k.tlbEntries());
    model.put("tlbReplacement", k.replacement().name());
    model.put("seed", k.seed());
    model.put("walkCache", k.walkCache());
    model.put("walkCacheEntries", k.walkCacheEntries());
    model.put("configCacheEntries", k.configCacheEntries());
    model.put("configEvictionOneIn", k.configEvictionOneIn());
    model.put("configPartialRefetch", k.configPartialRefetch());
    model.put("speculativeFill", k.speculativeFill());
    model.put("speculativeFillPeriod", k.speculativeFillPeriod());
    model.put("strictTtl", k.strictTtl());
    model.put("strictReservedEncodings", k.strictReservedEncodings());
    model.put("asyncCommands", k.asyncCommands());
    return n;
  }
}
