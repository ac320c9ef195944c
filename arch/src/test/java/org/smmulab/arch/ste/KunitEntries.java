package org.smmulab.arch.ste;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.smmulab.arch.cd.Cd;
import org.smmulab.arch.cd.CdFields;
import org.smmulab.arch.codec.QwordImage;
import org.smmulab.arch.testing.SharedVectors;

/**
 * The KUnit STE and CD entries of {@code kunit-vectors.json}, rebuilt from their field tables with
 * {@link Ste#builder()} and {@link Cd#builder()}.
 *
 * <p>A table either lists fields ({@code "q1.S1DSS": "2 (SSID0)"}), or derives the entry from
 * another one: {@code "as <entry> except": "<assignments>"}, {@code "start from": "<entry>"} plus
 * {@code "q0.CONFIG": "|= 0b111 ..."} and {@code "q2..q7": "... i.e. <entry> q2..q7 ..."}, which
 * copies those qwords of the other rebuilt entry as the kernel's nested STE does.
 */
public final class KunitEntries {
  /** Kernel STE names that differ from ours: the whole VTCR is one kernel field. */
  public static final KernelFieldTable STE_TABLE =
      new KernelFieldTable(SteFields.LAYOUT, Map.of("VTCR", SteFields.VTCR));

  /** Kernel CD names that differ from ours: IRGN0/ORGN0 are IR0/OR0. */
  public static final KernelFieldTable CD_TABLE =
      new KernelFieldTable(CdFields.LAYOUT, Map.of("IRGN0", CdFields.IR0, "ORGN0", CdFields.OR0));

  private static final Pattern COPIED_QWORDS = Pattern.compile("i\\.e\\. (\\w+) q2\\.\\.q7");

  private final JsonNode entries = SharedVectors.load("kunit-vectors.json").get("entries");

  /** All entry names, in file order. */
  public List<String> names() {
    List<String> out = new ArrayList<>();
    entries.fieldNames().forEachRemaining(out::add);
    return out;
  }

  /** Whether the entry is an STE (its kernel builder makes an STE), else it is a CD. */
  public boolean isSte(String name) {
    return entry(name).get("builder").asText().contains("_ste");
  }

  /** The image the vectors expect. */
  public long[] expected(String name) {
    return SharedVectors.qwords(entry(name).get("qwords"));
  }

  /** The entry rebuilt from its field table with a truncating builder. */
  public long[] rebuild(String name) {
    JsonNode fields = entry(name).get("fields");
    KernelFieldTable table = isSte(name) ? STE_TABLE : CD_TABLE;
    QwordImage.Builder<? extends QwordImage> builder = startFor(name, baseOf(fields));
    for (Map.Entry<String, JsonNode> field : fields.properties()) {
      String key = field.getKey();
      if (key.startsWith("as ")) {
        if (table.applyAssignments(builder, field.getValue().asText()) == 0) {
          throw new IllegalArgumentException(name + ": no assignment in " + field.getValue());
        }
      } else if (key.equals("q2..q7")) {
        Matcher m = COPIED_QWORDS.matcher(field.getValue().asText());
        if (!m.find()) {
          throw new IllegalArgumentException(name + ": cannot tell where q2..q7 come from");
        }
        long[] source = rebuild(m.group(1));
        for (int i = 2; i < 8; i++) {
          builder.qword(i, source[i]);
        }
      } else if (!key.equals("start from")) {
        table.apply(builder, key, field.getValue());
      }
    }
    return builder.build().toQwords();
  }

  private QwordImage.Builder<? extends QwordImage> startFor(String name, String base) {
    if (isSte(name)) {
      return base == null ? Ste.builder() : Ste.decode(rebuild(base)).toBuilder();
    }
    return base == null ? Cd.builder() : Cd.decode(rebuild(base)).toBuilder();
  }

  private static String baseOf(JsonNode fields) {
    for (Iterator<String> it = fields.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (key.equals("start from")) {
        return fields.get(key).asText();
      }
      if (key.startsWith("as ")) {
        return key.split(" ")[1];
      }
    }
    return null;
  }

  private JsonNode entry(String name) {
    JsonNode e = entries.get(name);
    if (e == null) {
      throw new IllegalArgumentException("no KUnit entry " + name);
    }
    return e;
  }
}
