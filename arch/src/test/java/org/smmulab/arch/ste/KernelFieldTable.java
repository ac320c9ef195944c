package org.smmulab.arch.ste;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.smmulab.arch.codec.Field;
import org.smmulab.arch.codec.Layout;
import org.smmulab.arch.codec.QwordImage;

/**
 * Reads the field tables of the test vectors, which use the kernel's names ({@code "q1.S1DSS"},
 * {@code "q1.TTB0[51:4]"}, {@code "q3 (MAIR)"}) and annotated values ({@code "0b100 (BYPASS)"},
 * {@code "1997 = 0x7cd"}, {@code "host PARange (example value 5 used here)"}), and applies them to
 * our builders through our {@link Field} constants.
 *
 * <p>Every key must resolve to a field of the layout (or a listed alias) in the qword the key
 * names, and a bit range in the key must match the field's: a wrong position fails loudly here
 * instead of silently producing a different image.
 */
public final class KernelFieldTable {
  private static final Pattern KEY =
      Pattern.compile("q(\\d)(?:\\.([A-Za-z0-9/]+))?(?:\\[(\\d+):(\\d+)\\])?(?:\\s*\\((\\w+)\\))?");
  private static final Pattern LEADING_NUMBER =
      Pattern.compile("^(0x[0-9a-fA-F]+|0b[01]+|\\d+)(?=$|[\\s,;)])");
  private static final Pattern EXAMPLE =
      Pattern.compile("example(?: value)? (0x[0-9a-fA-F]+|\\d+)");
  private static final Pattern RESULT = Pattern.compile("= (0x[0-9a-fA-F]+|\\d+)\\s*$");
  private static final Pattern ASSIGNMENT =
      Pattern.compile("(q\\d\\.[A-Za-z0-9]+)\\s*=\\s*(0x[0-9a-fA-F]+|\\d+)");

  private final Layout layout;
  private final Map<String, Field> aliases;

  /**
   * @param layout the structure whose fields the keys name
   * @param aliases kernel names that differ from ours (upper case), e.g. {@code IRGN0 -> IR0}
   */
  public KernelFieldTable(Layout layout, Map<String, Field> aliases) {
    this.layout = layout;
    this.aliases = aliases;
  }

  /** The fields a key such as {@code "q0.HA/HD"} or {@code "q3 (MAIR)"} names. */
  public List<Field> fieldsOf(String key) {
    Matcher m = KEY.matcher(key.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("not a field key: " + key);
    }
    int qword = Integer.parseInt(m.group(1));
    List<String> names = new ArrayList<>();
    if (m.group(2) != null) {
      names.addAll(List.of(m.group(2).split("/")));
    } else if (m.group(5) != null) {
      names.add(m.group(5));
    }
    List<Field> out = new ArrayList<>();
    if (names.isEmpty()) {
      out.add(wholeQword(key, qword));
    }
    for (String name : names) {
      Field f = resolve(name);
      if (f.qword() != qword) {
        throw new IllegalArgumentException(key + " is in q" + qword + " but " + f + " is not");
      }
      if (m.group(3) != null
          && (f.hi() != Integer.parseInt(m.group(3)) || f.lo() != Integer.parseInt(m.group(4)))) {
        throw new IllegalArgumentException(key + " does not match " + f);
      }
      out.add(f);
    }
    return out;
  }

  /** The field our layout calls {@code name}, or the alias for the kernel's name. */
  public Field resolve(String name) {
    Field f = aliases.getOrDefault(name.toUpperCase(), layout.field(name));
    if (f == null) {
      throw new IllegalArgumentException(layout.name() + " has no field for " + name);
    }
    return f;
  }

  /** Applies {@code name = value} where the table names fields without their qword. */
  public void applyNamed(QwordImage.Builder<?> builder, String name, JsonNode value) {
    builder.set(resolve(name), parseValue(value.asText().trim()));
  }

  private Field wholeQword(String key, int qword) {
    for (Field f : layout.fields()) {
      if (f.qword() == qword && f.width() == 64) {
        return f;
      }
    }
    throw new IllegalArgumentException(layout.name() + " has no whole-qword field for " + key);
  }

  /**
   * Applies {@code key = value} to {@code builder}; a value {@code "|= x"} ORs {@code x} into the
   * field.
   */
  public void apply(QwordImage.Builder<?> builder, String key, JsonNode value) {
    String text = value.isNumber() ? value.asText() : value.asText().trim();
    boolean or = text.startsWith("|=");
    long v = parseValue(or ? text.substring(2).trim() : text);
    for (Field f : fieldsOf(key)) {
      builder.set(f, or ? builder.get(f) | v : v);
    }
  }

  /**
   * Applies every {@code qN.FIELD=value} assignment found in a sentence such as {@code "q1.EATS=0
   * (no ATS) and q1.S1STALLD=0 (stall_enabled=1)"}.
   *
   * @return the number of assignments applied
   */
  public int applyAssignments(QwordImage.Builder<?> builder, String sentence) {
    Matcher m = ASSIGNMENT.matcher(sentence);
    int count = 0;
    while (m.find()) {
      long v = parseValue(m.group(2));
      for (Field f : fieldsOf(m.group(1))) {
        builder.set(f, v);
      }
      count++;
    }
    return count;
  }

  /**
   * The number an annotated value stands for: its leading number ({@code "0xFF masked ..."} is
   * 0xFF, the input the kernel passes to {@code FIELD_PREP}), else the example value given for a
   * host-dependent field, else the result after the last {@code "="}.
   */
  public static long parseValue(String text) {
    Matcher lead = LEADING_NUMBER.matcher(text);
    if (lead.find()) {
      return number(lead.group(1));
    }
    Matcher example = EXAMPLE.matcher(text);
    if (example.find()) {
      return number(example.group(1));
    }
    Matcher result = RESULT.matcher(text);
    if (result.find()) {
      return number(result.group(1));
    }
    throw new IllegalArgumentException("no number in value: " + text);
  }

  private static long number(String token) {
    if (token.startsWith("0x")) {
      return Long.parseUnsignedLong(token.substring(2), 16);
    }
    if (token.startsWith("0b")) {
      return Long.parseLong(token.substring(2), 2);
    }
    return Long.parseLong(token);
  }
}
