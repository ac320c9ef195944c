package org.smmulab.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.smmulab.driver.entry.EntryKind;
import org.smmulab.driver.entry.EntryWritePlan;
import org.smmulab.driver.entry.EntryWriteStep;
import org.smmulab.driver.entry.EntryWriter;
import picocli.CommandLine;

/**
 * {@code smmulab plan ste|cd --from Q0,..,Q7 --to Q0,..,Q7 [--json]}: shows the writes and syncs
 * the driver's hitless entry writer uses to turn one STE or CD into another.
 */
@CommandLine.Command(
    name = "plan",
    header = "Show the hitless write plan for an STE or CD update.",
    mixinStandardHelpOptions = true,
    description =
        "Show how the driver rewrites a live STE or CD: each write pass, each sync, the number of syncs and whether the SMMU could ever see the entry invalid. Exit 2 on bad input.")
final class PlanCommand implements Callable<Integer> {
  private static final int QWORDS = 8;
  private static final int MAX_HEX_DIGITS = 16;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Parameters(
      index = "0",
      paramLabel = "KIND",
      description = "ste or cd",
      completionCandidates = Kinds.class)
  String kind;

  @CommandLine.Option(
      names = "--from",
      required = true,
      paramLabel = "Q0,...,Q7",
      description = "The entry now in memory: 8 comma-separated hex qwords, qword 0 first.")
  String from;

  @CommandLine.Option(
      names = "--to",
      required = true,
      paramLabel = "Q0,...,Q7",
      description = "The entry to install: 8 comma-separated hex qwords, qword 0 first.")
  String to;

  @CommandLine.Option(names = "--json", description = "Print one JSON document instead of text.")
  boolean json;

  @Override
  public Integer call() throws JsonProcessingException {
    EntryKind entryKind = parseKind(kind);
    long[] current = parseEntry("--from", from);
    long[] target = parseEntry("--to", to);
    EntryWritePlan plan = EntryWriter.plan(entryKind, current, target);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(new ObjectMapper().writeValueAsString(toJson(plan)));
    } else {
      printText(out, plan);
    }
    out.flush();
    return 0;
  }

  private EntryKind parseKind(String text) {
    switch (text.toLowerCase(Locale.ROOT)) {
      case "ste":
        return EntryKind.STE;
      case "cd":
        return EntryKind.CD;
      default:
        throw bad("KIND: '" + text + "' is neither ste nor cd");
    }
  }

  /** Parses 8 comma-separated hex qwords; {@code option} names the option in error messages. */
  private long[] parseEntry(String option, String text) {
    String[] parts = text.split(",", -1);
    if (parts.length != QWORDS) {
      throw bad(option + ": expected " + QWORDS + " qwords, got " + parts.length);
    }
    long[] out = new long[QWORDS];
    for (int i = 0; i < QWORDS; i++) {
      String raw = parts[i].trim();
      String digits = raw.startsWith("0x") || raw.startsWith("0X") ? raw.substring(2) : raw;
      if (digits.isEmpty() || !digits.matches("[0-9a-fA-F]+")) {
        throw bad(option + ": qword " + i + " '" + raw + "' is not hex");
      }
      String significant = digits.replaceFirst("^0+(?=.)", "");
      if (significant.length() > MAX_HEX_DIGITS) {
        throw bad(option + ": qword " + i + " '" + raw + "' does not fit in 64 bits");
      }
      out[i] = Long.parseUnsignedLong(significant, 16);
    }
    return out;
  }

  private CommandLine.ParameterException bad(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }

  private static ObjectNode toJson(EntryWritePlan plan) {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode root = mapper.createObjectNode();
    root.put("kind", plan.kind().name().toLowerCase(Locale.ROOT));
    root.put("path", plan.pathLabel());
    root.put("syncs", plan.syncs());
    root.put("hitless", plan.hitless());
    ArrayNode steps = root.putArray("steps");
    for (EntryWriteStep step : plan.steps()) {
      ObjectNode s = steps.addObject();
      ArrayNode qwords = s.putArray("qwords");
      for (long q : step.qwords()) {
        qwords.add(hex(q));
      }
      ArrayNode changed = s.putArray("changed");
      step.changed().forEach(changed::add);
      s.put("sync", step.sync());
    }
    return root;
  }

  private static void printText(PrintWriter out, EntryWritePlan plan) {
    EntryKind kind = plan.kind();
    out.printf("from: %s%n", kind.describe(plan.initial()));
    out.printf("to:   %s%n", kind.describe(plan.target()));
    out.printf("path: %s%n", plan.pathLabel());
    int syncs = 0;
    int number = 0;
    for (EntryWriteStep step : plan.steps()) {
      number++;
      out.printf("step %d: write", number);
      for (int index : step.changed()) {
        out.printf(" q%d=%s", index, hex(step.qword(index)));
      }
      out.println();
      if (step.sync()) {
        syncs++;
        out.printf("  sync %d: entry %s%n", syncs, kind.describe(step.qwords()));
      }
    }
    if (plan.steps().isEmpty()) {
      out.println("nothing to write: the entries are equal");
    }
    out.printf(
        "%d sync%s, %s%n",
        plan.syncs(),
        plan.syncs() == 1 ? "" : "s",
        plan.hitless() ? "hitless" : "NOT hitless (qword 0 was 0 at a sync)");
  }

  private static String hex(long value) {
    return String.format("0x%016x", value);
  }

  /** The accepted entry kinds, for completion and help. */
  static final class Kinds implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return java.util.List.of("ste", "cd").iterator();
    }
  }
}
