package org.smmulab.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.smmulab.driver.smmu.DriverOptions;
import org.smmulab.peer.diff.DiffReport;
import org.smmulab.peer.diff.Difference;
import org.smmulab.peer.qemu.PeerLinkException;
import org.smmulab.peer.qemu.PeerUnavailableException;
import org.smmulab.peer.qemu.QemuPeerCheck;
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
          "Run one seeded operation sequence through the driver on QEMU's SMMUv3 (qemu-system-aarch64 with a guest stub) and on the hardware model (preset qemu-like), and compare every step: driver results, commands, DMA bytes and faults. Exit 0 when they agree (differences that are known QEMU deviations or explained are listed but do not count), 1 on an unexplained difference, 2 when QEMU or the cross-compiler is missing or QEMU fails.")
  static final class Qemu implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(names = "--seed", defaultValue = "1", description = "Seed (default 1).")
    long seed;

    @CommandLine.Option(
        names = "--ops",
        defaultValue = "200",
        paramLabel = "N",
        description = "Operations in the sequence (default 200; about 0.1 s each on QEMU).")
    int ops;

    @CommandLine.Option(names = "--json", description = "Print one JSON document instead of text.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      if (ops < 1) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--ops must be at least 1, got " + ops);
      }
      PrintWriter err = spec.commandLine().getErr();
      boolean live = !json && System.console() != null;
      DiffReport report;
      try {
        report =
            QemuPeerCheck.seeded(
                seed,
                ops,
                DriverOptions.DEFAULTS,
                line -> {
                  if (live) {
                    err.print("\r" + line);
                    err.flush();
                  }
                });
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
