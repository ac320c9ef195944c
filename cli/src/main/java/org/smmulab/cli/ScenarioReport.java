package org.smmulab.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.smmulab.arch.pte.Stage;
import org.smmulab.verify.oracle.Violation;
import org.smmulab.verify.scenario.Check;
import org.smmulab.verify.scenario.DeviceSpec;
import org.smmulab.verify.scenario.DomainSpec;
import org.smmulab.verify.scenario.InstanceSpec;
import org.smmulab.verify.scenario.Scenario;
import org.smmulab.verify.scenario.ScenarioResult;
import org.smmulab.verify.scenario.StepResult;
import org.smmulab.verify.scenario.TagInfo;

/**
 * The text report of a scenario run: the machine, one line per step (status, index, line in the
 * file, what it did) with what happened below it, the tags and commands at the end, and the
 * verdict. Consecutive passing steps made from the same line by {@code repeat} are printed as one.
 *
 * <p>With narration (the demo) the details are sentences that explain what each step made the
 * driver and the SMMUs do, for readers new to IOMMUs; without it they are terse lines.
 */
final class ScenarioReport {
  private static final String DETAIL = "          ";
  private static final int TAGS_LISTED = 8;

  private final PrintWriter out;
  private final ScenarioResult result;
  private final Narration narration;

  private ScenarioReport(PrintWriter out, ScenarioResult result, boolean narrate) {
    this.out = out;
    this.result = result;
    this.narration = narrate ? new Narration(result.scenario()) : null;
  }

  static void print(PrintWriter out, ScenarioResult result, boolean narrate) {
    new ScenarioReport(out, result, narrate).print();
  }

  private void print() {
    Scenario s = result.scenario();
    out.printf("Scenario %s (%s)%n", s.name(), s.file());
    if (!s.description().isEmpty()) {
      for (String line : s.description().split("\\R")) {
        out.println("  " + line.strip());
      }
    }
    out.println();
    machine(s);
    out.println();
    out.println("Steps");
    List<StepResult> steps = result.steps();
    for (int i = 0; i < steps.size(); ) {
      int end = runEnd(steps, i);
      if (end - i > 1) {
        group(steps.subList(i, end));
      } else {
        step(steps.get(i));
      }
      i = end;
    }
    out.println();
    end();
  }

  private static int runEnd(List<StepResult> steps, int start) {
    StepResult first = steps.get(start);
    int end = start + 1;
    while (end < steps.size()
        && steps.get(end).step().at().equals(first.step().at())
        && steps.get(end).ok()
        && first.ok()
        && steps.get(end).snapshot() == null) {
      end++;
    }
    return end;
  }

  private void machine(Scenario s) {
    out.println("Machine");
    for (InstanceSpec i : s.instances()) {
      out.printf("  %-8s %s: %s%n", i.name(), i.preset(), PresetsCommand.features(i.config()));
    }
    List<DeviceSpec> devices = s.devices();
    for (int i = 0; i < devices.size(); ) {
      int end = i + 1;
      while (end < devices.size() && devices.get(end).at().equals(devices.get(i).at())) {
        end++;
      }
      DeviceSpec d = devices.get(i);
      if (end - i == 1) {
        out.printf("  %-8s %s%n", d.name(), Narration.device(d));
      } else {
        DeviceSpec last = devices.get(end - 1);
        out.printf(
            "  %s..%s  %d devices like %s: %s%n",
            d.name(), last.name(), end - i, d.name(), Narration.device(d));
      }
      i = end;
    }
    List<DomainSpec> domains = s.domains();
    for (int i = 0; i < domains.size(); ) {
      int end = i + 1;
      while (end < domains.size() && domains.get(end).at().equals(domains.get(i).at())) {
        end++;
      }
      DomainSpec d = domains.get(i);
      String what =
          String.format(
              "stage-%d domain%s, %s granule, %d-bit input, %d-bit output",
              d.stage() == Stage.STAGE_1 ? 1 : 2,
              end - i == 1 ? "" : "s",
              d.granule(),
              d.ias(),
              d.oas());
      if (end - i == 1) {
        out.printf("  %-8s %s%n", d.name(), what);
      } else {
        out.printf("  %s..%s  %d %s%n", d.name(), domains.get(end - 1).name(), end - i, what);
      }
      i = end;
    }
    if (!s.driver().injections().isEmpty()) {
      out.println("  driver with injected bugs: " + s.driver().injections());
    }
    if (narration != null) {
      narration.setup(out, result.setupCommands());
    } else {
      result
          .setupCommands()
          .forEach(
              (i, c) -> out.printf("  probe and reset: %s received %s%n", i, TextBlocks.counts(c)));
    }
  }

  private void step(StepResult r) {
    out.printf(
        "  %-4s #%-3d line %-4d %s%n",
        r.ok() ? "ok" : "FAIL", r.index(), r.step().at().line(), r.step().describe());
    if (narration != null) {
      narration.step(out, DETAIL, r);
    } else {
      terse(r);
    }
    if (r.snapshot() != null) {
      SnapshotText.print(out, DETAIL, r.snapshot());
    }
    if (r.violation() != null) {
      out.println(DETAIL + "VIOLATION " + r.violation().describe());
    }
  }

  private void group(List<StepResult> run) {
    StepResult first = run.get(0);
    StepResult last = run.get(run.size() - 1);
    out.printf(
        "  %-4s #%d..%d line %d  %s ... %s (%d steps)%n",
        "ok",
        first.index(),
        last.index(),
        first.step().at().line(),
        first.step().describe(),
        last.step().describe(),
        run.size());
    Map<String, Integer> allocated = new LinkedHashMap<>();
    Map<String, Integer> freed = new LinkedHashMap<>();
    Map<String, Map<String, Long>> commands = new LinkedHashMap<>();
    for (StepResult r : run) {
      r.tagsAllocated().forEach(t -> allocated.merge(t.instance(), 1, Integer::sum));
      r.tagsFreed().forEach(t -> freed.merge(t.instance(), 1, Integer::sum));
      r.commands()
          .forEach(
              (i, c) ->
                  c.forEach(
                      (op, n) ->
                          commands
                              .computeIfAbsent(i, x -> new LinkedHashMap<>())
                              .merge(op, n, Long::sum)));
    }
    allocated.forEach((i, n) -> out.printf("%s%s: %d tags allocated%n", DETAIL, i, n));
    freed.forEach((i, n) -> out.printf("%s%s: %d tags freed%n", DETAIL, i, n));
    commands.forEach((i, c) -> out.printf("%s%s received %s%n", DETAIL, i, TextBlocks.counts(c)));
  }

  private void terse(StepResult r) {
    if (r.message() != null) {
      out.println(DETAIL + r.message());
    }
    if (r.errorMessage() != null) {
      out.println(DETAIL + "the driver said: " + r.errorMessage());
    }
    for (TagInfo t : r.tagsAllocated()) {
      out.printf("%s%s: %s allocated for %s%n", DETAIL, t.instance(), t.label(), t.domain());
    }
    for (TagInfo t : r.tagsFreed()) {
      out.printf("%s%s: %s of %s freed%n", DETAIL, t.instance(), t.label(), t.domain());
    }
    r.commands()
        .forEach((i, c) -> out.printf("%s%s received %s%n", DETAIL, i, TextBlocks.counts(c)));
    if (r.dma() != null && r.checks().isEmpty()) {
      out.println(
          DETAIL + r.dma().describe() + (r.dma().detail() != null ? ": " + r.dma().detail() : ""));
    }
    for (Check c : r.checks()) {
      out.printf("%s%-4s %s: %s%n", DETAIL, c.ok() ? "ok" : "FAIL", c.what(), c.detail());
    }
  }

  private void end() {
    out.println("Tags at the end");
    result
        .tags()
        .forEach(
            (i, tags) -> {
              String shown =
                  tags.size() <= TAGS_LISTED
                      ? SnapshotText.tags(tags)
                      : tags.size()
                          + " tags: "
                          + SnapshotText.tags(tags.subList(0, TAGS_LISTED))
                          + ", ... (--json lists them all)";
              out.printf("  %-8s %s%n", i, shown);
            });
    out.println();
    out.println("Commands each instance received during the steps");
    Map<String, Map<String, Long>> during = new LinkedHashMap<>();
    for (StepResult r : result.steps()) {
      r.commands()
          .forEach(
              (i, c) ->
                  c.forEach(
                      (op, n) ->
                          during
                              .computeIfAbsent(i, x -> new LinkedHashMap<>())
                              .merge(op, n, Long::sum)));
    }
    for (InstanceSpec i : result.scenario().instances()) {
      out.printf(
          "  %-8s %s%n", i.name(), TextBlocks.counts(during.getOrDefault(i.name(), Map.of())));
    }
    out.println();
    List<Violation> violations = result.violations();
    if (!violations.isEmpty()) {
      out.println("Violations found by the oracle");
      for (Violation v : violations) {
        out.println("  " + v.describe());
      }
      out.println();
    }
    if (narration != null) {
      narration.closing(out, result);
    }
    out.println(verdict(result));
  }

  /** The last line: PASSED or FAILED with the counts. */
  static String verdict(ScenarioResult r) {
    int steps = r.steps().size();
    String oracle =
        r.violations().isEmpty()
            ? "the oracle judged "
                + r.dmasChecked()
                + " DMA"
                + (r.dmasChecked() == 1 ? "" : "s")
                + " and found no violation"
            : "the oracle found "
                + r.violations().size()
                + " violation"
                + (r.violations().size() == 1 ? "" : "s");
    List<String> failed = new ArrayList<>();
    for (StepResult s : r.steps()) {
      if (!s.ok()) {
        failed.add("#" + s.index());
      }
    }
    if (r.passed()) {
      return "PASSED: " + steps + " steps, every expectation held; " + oracle + ".";
    }
    return "FAILED: "
        + r.expectationsFailed()
        + " of "
        + steps
        + " steps did not do what was expected"
        + (failed.isEmpty()
            ? ""
            : " ("
                + String.join(", ", failed.subList(0, Math.min(10, failed.size())))
                + (failed.size() > 10 ? ", ..." : "")
                + ")")
        + "; "
        + oracle
        + ".";
  }
}
