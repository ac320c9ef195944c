package org.smmulab.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.smmulab.driver.smmu.DriverOptions;
import org.smmulab.peer.diff.DiffReport;
import org.smmulab.peer.diff.Difference;
import org.smmulab.peer.qemu.PeerLinkException;
import org.smmulab.peer.qemu.PeerUnavailableException;
import org.smmulab.peer.qemu.QemuPeerCheck;
import org.smmulab.peer.scenario.PeerScenario;
import org.smmulab.peer.scenario.ScenarioAdapter;
import org.smmulab.verify.scenario.ScenarioException;
import org.smmulab.verify.scenario.ScenarioLoader;
import picocli.CommandLine;

/** {@code smmulab peer}: independent peers of the driver and the hardware model. */
@CommandLine.Command(
    name = "peer",
    header = "Run the driver against an independent SMMUv3 (QEMU) and compare.",
    mixinStandardHelpOptions = true,
    description = "Compare the hardware model with an independent SMMUv3 implementation.",
    subcommands = {PeerCommand.Qemu.class})
final class PeerCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code smmulab peer qemu}: the differential check against QEMU's SMMUv3. */
  @CommandLine.Command(
      name = "qemu",
      header = "Differential check of the driver and the model against QEMU's SMMUv3.",
      mixinStandardHelpOptions = true,
      description =
          "Run one operation sequence, seeded (--seed, --ops) or from a scenario file (--scenario), through the driver on QEMU's SMMUv3 (qemu-system-aarch64 with a guest stub) and on the hardware model (preset qemu-like), and compare every step: driver results, commands, DMA bytes and faults. A scenario must stay within what the peer supports (docs/scenarios.md, \"Running a scenario against QEMU\"); its devices run as edu devices in declaration order and its expectations are not evaluated (smmulab run checks them). Exit 0 when the peers agree (differences that are known QEMU deviations or explained are listed but do not count), 1 on an unexplained difference, 2 on a scenario the peer cannot run (one FILE:LINE:COLUMN: message line), or when QEMU or the cross-compiler is missing or QEMU fails.")
  static final class Qemu implements Callable<Integer> {
    private static final long DEFAULT_SEED = 1;
    private static final int DEFAULT_OPS = 200;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.ArgGroup(exclusive = true, multiplicity = "0..1")
    Source source;

    @CommandLine.Option(names = "--json", description = "Print one JSON document instead of text.")
    boolean json;

    /** Where the operations come from: a scenario file or a seeded sequence, not both. */
    static final class Source {
      @CommandLine.Option(
          names = "--scenario",
          paramLabel = "FILE.yaml",
          required = true,
          description = "Run this scenario file instead of a seeded sequence.")
      Path scenario;

      @CommandLine.ArgGroup(exclusive = false, multiplicity = "1")
      Seeded seeded;
    }

    /** A seeded random sequence. */
    static final class Seeded {
      @CommandLine.Option(
          names = "--seed",
          paramLabel = "S",
          defaultValue = "" + DEFAULT_SEED,
          description = "Seed (default " + DEFAULT_SEED + ").")
      long seed = DEFAULT_SEED;

      @CommandLine.Option(
          names = "--ops",
          defaultValue = "" + DEFAULT_OPS,
          paramLabel = "N",
          description =
              "Operations in the sequence (default " + DEFAULT_OPS + "; about 0.1 s each on QEMU).")
      int ops = DEFAULT_OPS;
    }

    @Override
    public Integer call() throws Exception {
      PrintWriter err = spec.commandLine().getErr();
      Path file = source == null ? null : source.scenario;
      PeerScenario scenario = null;
      if (file != null) {
        try {
          scenario = load(file);
        } catch (ScenarioException e) {
          err.println(e.getMessage());
          err.flush();
          return 2;
        } catch (IOException e) {
          err.println(file + ": cannot read: " + ScenarioExecution.reason(e));
          err.flush();
          return 2;
        }
      }
      Seeded seeded = source == null || source.seeded == null ? new Seeded() : source.seeded;
      if (scenario == null && seeded.ops < 1) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--ops must be at least 1, got " + seeded.ops);
      }
      boolean live = !json && System.console() != null;
      Consumer<String> progress =
          line -> {
            if (live) {
              err.print("\r" + line);
              err.flush();
            }
          };
      DiffReport report;
      try {
        report =
            scenario != null
                ? QemuPeerCheck.scenario(scenario, progress)
                : QemuPeerCheck.seeded(seeded.seed, seeded.ops, DriverOptions.DEFAULTS, progress);
      } catch (PeerUnavailableException e) {
        err.println("smmulab peer qemu: " + e.getMessage());
        err.flush();
        return 2;
      } catch (PeerLinkException e) {
        err.println("smmulab peer qemu: QEMU failed: " + e.getMessage());
        err.flush();
        return 2;
      }
      if (live) {
        err.println();
      }
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        out.println(new ObjectMapper().writeValueAsString(toJson(report)));
      } else {
        printText(out, report);
      }
      out.flush();
      return report.agree() ? 0 : 1;
    }

    /** The scenario in {@code file}, made ready for the peer; refused before QEMU starts. */
    private static PeerScenario load(Path file) throws IOException, ScenarioException {
      if (Files.isDirectory(file)) {
        throw new IOException("it is a directory");
      }
      return ScenarioAdapter.adapt(ScenarioLoader.load(file));
    }

    private static void printText(PrintWriter out, DiffReport r) {
      out.printf(
          "QEMU peer, %s: %d steps in %.1f s, %d agree exactly; %d DMAs (%d faulting), %d"
              + " commands%n",
          r.source(),
          r.steps(),
          r.seconds(),
          r.agreements(),
          r.dmas(),
          r.faultingDmas(),
          r.commands());
      r.notes().forEach(note -> out.println("  " + note));
      Map<String, Integer> byLabel = new TreeMap<>();
      for (Difference d : r.differences()) {
        if (!d.fails()) {
          byLabel.merge(d.verdict() + " " + d.label(), 1, Integer::sum);
        }
      }
      out.printf(
          "%d differences: %d unexplained, %d known QEMU deviations or explained%n",
          r.differences().size(), r.unexplained(), r.explained());
      byLabel.forEach((label, n) -> out.printf("  %4d x %s%n", n, label));
      for (String label : byLabel.keySet()) {
        r.differences().stream()
            .filter(d -> !d.fails() && label.equals(d.verdict() + " " + d.label()))
            .limit(1)
            .forEach(d -> out.println("  for example, " + d.describe()));
      }
      if (r.agree()) {
        out.println("The peers agree.");
        return;
      }
      out.println("Unexplained differences:");
      r.differences().stream()
          .filter(Difference::fails)
          .forEach(d -> out.println("  " + d.describe()));
    }

    private static ObjectNode toJson(DiffReport r) {
      ObjectMapper mapper = new ObjectMapper();
      ObjectNode root = mapper.createObjectNode();
      root.put("source", r.source());
      ArrayNode notes = root.putArray("notes");
      r.notes().forEach(notes::add);
      root.put("steps", r.steps());
      root.put("agreements", r.agreements());
      root.put("dmas", r.dmas());
      root.put("faultingDmas", r.faultingDmas());
      root.put("commands", r.commands());
      root.put("seconds", Math.round(r.seconds() * 10) / 10.0);
      root.put("unexplained", r.unexplained());
      root.put("explained", r.explained());
      root.put("agree", r.agree());
      ArrayNode diffs = root.putArray("differences");
      for (Difference d : r.differences()) {
        ObjectNode n = diffs.addObject();
        n.put("step", d.step());
        n.put("operation", d.operation());
        n.put("aspect", d.aspect());
        n.put("verdict", d.verdict().name());
        if (d.label() == null) {
          n.putNull("label");
        } else {
          n.put("label", d.label());
        }
        n.put("model", d.model());
        n.put("qemu", d.qemu());
        n.put("explanation", d.explanation());
      }
      return root;
    }
  }
}
