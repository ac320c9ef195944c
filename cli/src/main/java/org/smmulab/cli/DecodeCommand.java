package org.smmulab.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.smmulab.arch.cd.Cd;
import org.smmulab.arch.cd.L1CdDescriptor;
import org.smmulab.arch.cmd.Command;
import org.smmulab.arch.codec.Field;
import org.smmulab.arch.codec.QwordImage;
import org.smmulab.arch.event.EventRecord;
import org.smmulab.arch.pte.Granule;
import org.smmulab.arch.pte.LpaeDescriptor;
import org.smmulab.arch.pte.Stage;
import org.smmulab.arch.ste.L1StreamDescriptor;
import org.smmulab.arch.ste.Ste;
import picocli.CommandLine;

/**
 * {@code smmulab decode KIND HEX... [--json]}: names the fields of an STE, CD, command, event
 * record, page-table descriptor or level-1 descriptor given as hex qwords. Every bit pattern
 * decodes; reserved encodings and stray bits are shown as such.
 */
@CommandLine.Command(
    name = "decode",
    header = "Decode STEs, CDs, commands, events and descriptors given in hex.",
    mixinStandardHelpOptions = true,
    description =
        "Decode qwords given in hex (0x-prefixed or bare, in entry order; commas or spaces between them) into named fields, for example an STE or event record from a kernel log. Missing trailing qwords are taken as 0. Exit 2 on bad input.")
final class DecodeCommand implements Callable<Integer> {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int MAX_HEX_DIGITS = 16;

  /** What can be decoded, with the number of qwords each takes. */
  enum Kind {
    STE(Ste.QWORDS),
    CD(Cd.QWORDS),
    CMD(2),
    EVENT(4),
    PTE(1),
    L1STD(1),
    L1CD(1);

    final int qwords;

    Kind(int qwords) {
      this.qwords = qwords;
    }

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Parameters(
      index = "0",
      paramLabel = "KIND",
      description = "ste, cd, cmd, event, pte, l1std or l1cd",
      completionCandidates = KindNames.class)
  String kind;

  @CommandLine.Parameters(
      index = "1..*",
      arity = "1..*",
      paramLabel = "HEX",
      description = "The qwords, qword 0 first.")
  List<String> hex;

  @CommandLine.Option(
      names = "--stage",
      paramLabel = "1|2",
      description = "pte only: the table's stage (default 1).")
  Integer stage;

  @CommandLine.Option(
      names = "--level",
      paramLabel = "0..3",
      description = "pte only: the level the descriptor was found at (default 3).")
  Integer level;

  @CommandLine.Option(
      names = "--granule",
      paramLabel = "4K|16K|64K",
      description = "pte only: the translation granule (default 4K).")
  String granule;

  @CommandLine.Option(names = "--json", description = "Print one JSON document instead of text.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    Kind k = parseKind();
    long[] given = parseQwords(k);
    long[] q = Arrays.copyOf(given, k.qwords);
    QwordImage image = decode(k, q);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      ObjectNode root = MAPPER.createObjectNode();
      root.put("kind", k.label());
      root.set("qwords", ImageJson.qwords(image));
      root.put("describe", image.describe());
      if (image instanceof LpaeDescriptor d) {
        root.put("stage", d.stage() == Stage.STAGE_1 ? 1 : 2);
        root.put("level", d.level());
        root.put("granule", d.granule().toString());
        root.put("type", d.kind().name().toLowerCase(Locale.ROOT));
        if (d.kind() != LpaeDescriptor.Kind.INVALID && d.kind() != LpaeDescriptor.Kind.RESERVED) {
          root.put("address", ScenarioJson.hex(d.address()));
        }
      }
      root.set("fields", ImageJson.fields(image));
      out.println(MAPPER.writeValueAsString(root));
    } else {
      printText(out, image, given.length);
    }
    out.flush();
    return 0;
  }

  private Kind parseKind() {
    for (Kind k : Kind.values()) {
      if (k.label().equalsIgnoreCase(kind)) {
        if (k != Kind.PTE && (stage != null || level != null || granule != null)) {
          throw bad("--stage, --level and --granule apply to pte only");
        }
        return k;
      }
    }
    throw bad("KIND: '" + kind + "' is not one of ste, cd, cmd, event, pte, l1std, l1cd");
  }

  private long[] parseQwords(Kind k) {
    List<String> tokens = new ArrayList<>();
    for (String arg : hex) {
      for (String t : arg.trim().split("[,\\s]+")) {
        if (!t.isEmpty()) {
          tokens.add(t);
        }
      }
    }
    if (tokens.isEmpty()) {
      throw bad("HEX: no qword given");
    }
    if (tokens.size() > k.qwords) {
      throw bad(
          "HEX: "
              + k.label()
              + " has "
              + k.qwords
              + " qword"
              + (k.qwords == 1 ? "" : "s")
              + ", got "
              + tokens.size());
    }
    long[] out = new long[tokens.size()];
    for (int i = 0; i < out.length; i++) {
      String raw = tokens.get(i);
      String digits = raw.startsWith("0x") || raw.startsWith("0X") ? raw.substring(2) : raw;
      if (digits.isEmpty() || !digits.matches("[0-9a-fA-F]+")) {
        throw bad("HEX: qword " + i + " '" + raw + "' is not hex");
      }
      String significant = digits.replaceFirst("^0+(?=.)", "");
      if (significant.length() > MAX_HEX_DIGITS) {
        throw bad("HEX: qword " + i + " '" + raw + "' does not fit in 64 bits");
      }
      out[i] = Long.parseUnsignedLong(significant, 16);
    }
    return out;
  }

  private QwordImage decode(Kind k, long[] q) {
    return switch (k) {
      case STE -> Ste.decode(q);
      case CD -> Cd.decode(q);
      case CMD -> Command.decode(q[0], q[1]);
      case EVENT -> EventRecord.decode(q);
      case L1STD -> L1StreamDescriptor.decode(q[0]);
      case L1CD -> L1CdDescriptor.decode(q[0]);
      case PTE -> LpaeDescriptor.decode(q[0], pteStage(), pteLevel(), pteGranule());
    };
  }

  private Stage pteStage() {
    if (stage == null || stage == 1) {
      return Stage.STAGE_1;
    }
    if (stage == 2) {
      return Stage.STAGE_2;
    }
    throw bad("--stage: expected 1 or 2, got " + stage);
  }

  private int pteLevel() {
    int l = level == null ? 3 : level;
    if (l < 0 || l > 3) {
      throw bad("--level: expected 0..3, got " + l);
    }
    return l;
  }

  private Granule pteGranule() {
    if (granule == null) {
      return Granule.SIZE_4K;
    }
    for (Granule g : Granule.values()) {
      if (g.toString().equalsIgnoreCase(granule)) {
        return g;
      }
    }
    throw bad("--granule: expected 4K, 16K or 64K, got '" + granule + "'");
  }

  private static void printText(PrintWriter out, QwordImage image, int given) {
    out.println(image.describe());
    long[] q = image.toQwords();
    StringBuilder hexLine = new StringBuilder();
    for (int i = 0; i < q.length; i++) {
      hexLine.append(i == 0 ? "" : " ").append(String.format("q%d=0x%016x", i, q[i]));
    }
    out.println("  " + hexLine);
    if (given < q.length) {
      out.printf(
          "  (q%d%s not given, taken as 0)%n",
          given, given == q.length - 1 ? " was" : ".." + "q" + (q.length - 1) + " were");
    }
    for (Field f : image.layout().fields()) {
      long v = f.get(q);
      if (v != 0) {
        out.printf("  %-16s %-20s q%d[%d:%d]%n", f.name(), f.format(v), f.qword(), f.hi(), f.lo());
      }
    }
    long[] defined = image.layout().definedBits();
    for (int i = 0; i < q.length; i++) {
      long stray = q[i] & ~defined[i];
      if (stray != 0) {
        out.printf("  %-16s 0x%x (set bits outside every field)%n", "q" + i + ".reserved", stray);
      }
    }
  }

  private CommandLine.ParameterException bad(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }

  /** The accepted kinds, for completion and help. */
  static final class KindNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Arrays.stream(Kind.values()).map(Kind::label).iterator();
    }
  }
}
