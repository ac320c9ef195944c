package org.smmulab.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.smmulab.driver.inject.Injection;
import org.smmulab.hw.smmu.SmmuPresets;
import org.smmulab.verify.oracle.Violation;
import org.smmulab.verify.oracle.ViolationClass;
import org.smmulab.verify.stress.StressConfig;
import org.smmulab.verify.stress.StressResult;
import org.smmulab.verify.stress.StressRunner;
import picocli.CommandLine;

/** {@code smmulab stress}: a seeded random workload with every DMA judged by the oracle. */
@CommandLine.Command(
    name = "stress",
    header = "Run a seeded random workload with the oracle judging every DMA.",
    mixinStandardHelpOptions = true,
    description =
        "Run a seeded random workload over several SMMU instances, shared domains and ATS devices, with every DMA checked by the isolation oracle. Exit 0 with no violation, 1 with any, 2 on bad options.")
final class StressCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Option(
      names = "--seconds",
      paramLabel = "N",
      description = "Run for N seconds (default 20 unless --ops is given).")
  Double seconds;

  @CommandLine.Option(
      names = "--ops",
      paramLabel = "N",
      description = "Run N driver operations instead of a fixed time.")
  Long ops;

  @CommandLine.Option(names = "--seed", defaultValue = "1", description = "Seed (default 1).")
  long seed;

  @CommandLine.Option(
      names = "--threads",
      defaultValue = "2",
      description = "DMA-issuing threads; one more thread performs driver operations (default 2).")
  int threads;

  @CommandLine.Option(
      names = "--smmus",
      defaultValue = "2",
      description = "SMMU instances (default 2).")
  int smmus;

  @CommandLine.Option(
      names = "--devices",
      defaultValue = "8",
      description = "Devices, every other one with ATS (default 8).")
  int devices;

  @CommandLine.Option(
      names = "--domains",
      defaultValue = "4",
      description = "Paging domains, alternately stage 1 and stage 2 (default 4).")
  int domains;

  @CommandLine.Option(
      names = "--preset",
      defaultValue = "mmu-700-like",
      description = "Hardware preset of every instance (default mmu-700-like).")
  String preset;

  @CommandLine.Option(
      names = "--inject",
      paramLabel = "NAME",
      split = ",",
      description =
          "Inject a driver bug: skip-tlbi, skip-atc-inv, skip-tag-flush, early-tag-free, "
              + "leaf-only-table-free, skip-cfgi, unsafe-entry-update, missing-sync.")
  List<String> inject;

  @CommandLine.Option(names = "--json", description = "Print one JSON document instead of text.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    StressConfig config = config();
    PrintWriter err = spec.commandLine().getErr();
    boolean live = !json && System.console() != null;
    StressResult result =
        new StressRunner(
                config,
                line -> {
                  if (live) {
                    err.print("\r" + line);
                    err.flush();
                  }
                })
            .run();
    if (live) {
      err.println();
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(new ObjectMapper().writeValueAsString(toJson(result)));
    } else {
      printText(out, result);
    }
    out.flush();
    return result.violationCount() == 0 ? 0 : 1;
  }

  private StressConfig config() {
    Set<Injection> injections = EnumSet.noneOf(Injection.class);
    if (inject != null) {
      for (String name : inject) {
        try {
          injections.add(Injection.fromLabel(name.trim()));
        } catch (IllegalArgumentException e) {
          throw bad("--inject: " + e.getMessage());
        }
      }
    }
    if (!SmmuPresets.names().contains(preset)) {
      throw bad("--preset: unknown preset '" + preset + "'; known: " + SmmuPresets.names());
    }
    double runSeconds = seconds != null ? seconds : ops != null ? 0 : 20;
    try {
      return new StressConfig(
          runSeconds,
          ops != null ? ops : 0,
          seed,
          threads,
          smmus,
          devices,
          domains,
          preset,
          injections);
    } catch (IllegalArgumentException e) {
      throw bad(e.getMessage());
    }
  }

  private CommandLine.ParameterException bad(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }

  private static void printText(PrintWriter out, StressResult r) {
    out.printf(
        "Stress run, seed %d%s: %.2f s, %,d driver operations, %,d DMAs checked (%,.0f per"
            + " second), TLB hit ratio %.2f%n",
        r.seed(),
        r.injected() == null ? "" : ", injected " + r.injected(),
        r.seconds(),
        r.operations(),
        r.dmasChecked(),
        r.dmasChecked() / Math.max(r.seconds(), 1e-9),
        r.tlbHitRatio());
    if (r.violationCount() == 0) {
      out.println("No violation: no device used a stale or foreign translation.");
      return;
    }
    out.printf(
        "%,d violations: %s.%n",
        r.violationCount(),
        r.violationsByClass().entrySet().stream()
            .map(e -> String.format("%,d %s", e.getValue(), e.getKey().label()))
            .collect(Collectors.joining(", ")));
    if (r.firstViolation().kind() == ViolationClass.INVARIANT) {
      printDetection(out, "First violation", r.firstViolation());
    }
    printDetection(out, "First violation found through a DMA outcome", r.firstDmaViolation());
    out.println("The first ones:");
    for (Violation v : r.violations()) {
      out.println("  " + v.describe());
    }
    List<String> log = r.operationLog();
    out.printf(
        "The last driver operations before the first violation (%,d log lines; --json lists them"
            + " all; --seed %d --ops %d performs the same operations again):%n",
        log.size(), r.seed(), r.firstViolation().operations() + 1);
    for (String line : log.subList(Math.max(0, log.size() - 20), log.size())) {
      out.println("  " + line);
    }
  }

  private static void printDetection(PrintWriter out, String what, StressResult.Detection d) {
    if (d == null) {
      out.printf("%s: none.%n", what);
      return;
    }
    out.printf(
        "%s: %s after %.2f s, %,d driver operations and %,d DMAs checked.%n",
        what, d.kind().label(), d.seconds(), d.operations(), d.dmasChecked());
  }

  private static void putDetection(ObjectNode root, String field, StressResult.Detection d) {
    if (d == null) {
      root.putNull(field);
      return;
    }
    ObjectNode n = root.putObject(field);
    n.put("class", d.kind().label());
    n.put("seconds", Math.round(d.seconds() * 1000) / 1000.0);
    n.put("operations", d.operations());
    n.put("dmasChecked", d.dmasChecked());
  }

  private static ObjectNode toJson(StressResult r) {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode root = mapper.createObjectNode();
    root.put("seed", r.seed());
    root.put("seconds", Math.round(r.seconds() * 100) / 100.0);
    root.put("operations", r.operations());
    root.put("dmasChecked", r.dmasChecked());
    root.put("tlbHitRatio", Math.round(r.tlbHitRatio() * 100) / 100.0);
    root.put("violationCount", r.violationCount());
    ObjectNode byClass = root.putObject("violationsByClass");
    r.violationsByClass().forEach((kind, n) -> byClass.put(kind.label(), n));
    ArrayNode violations = root.putArray("violations");
    for (Violation v : r.violations()) {
      ObjectNode n = violations.addObject();
      n.put("class", v.kind().label());
      if (v.device() != null) {
        n.put("device", v.device());
        n.put("streamId", v.streamId());
        n.put("iova", String.format("0x%x", v.iova()));
        n.put("pa", v.pa() < 0 ? null : String.format("0x%x", v.pa()));
        n.put("start", v.start());
        n.put("end", v.end());
        n.put("via", v.source());
      }
      n.put("detail", v.detail());
    }
    if (r.injected() == null) {
      root.putNull("injected");
    } else {
      root.put("injected", r.injected());
    }
    putDetection(root, "firstViolation", r.firstViolation());
    putDetection(root, "firstDmaViolation", r.firstDmaViolation());
    if (r.violationCount() > 0) {
      ArrayNode log = root.putArray("operationLog");
      r.operationLog().forEach(log::add);
    }
    return root;
  }
}
