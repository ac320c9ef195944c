package org.smmulab.arch.codec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fields of one architected structure, in the order people read them (qword by qword, low bits
 * first). A layout knows how to describe any image of its size without throwing.
 */
public final class Layout {
  private final String name;
  private final int qwords;
  private final List<Field> fields;

  /** Bit {@link Field#id()} set for every field of the layout. */
  private final long[] members;

  /**
   * @param name the structure's name as printed by {@link #describe}, e.g. {@code "STE"}
   * @param qwords the image size in 64-bit words
   * @param fields the fields; each must lie inside the image and no two may overlap
   * @throws IllegalArgumentException if a field lies outside the image or two fields overlap
   */
  public Layout(String name, int qwords, List<Field> fields) {
    this.name = name;
    this.qwords = qwords;
    this.fields = List.copyOf(fields);
    int maxId = 0;
    for (Field f : this.fields) {
      maxId = Math.max(maxId, f.id());
    }
    this.members = new long[(maxId >>> 6) + 1];
    for (Field f : this.fields) {
      members[f.id() >>> 6] |= 1L << f.id();
    }
    long[] seen = new long[qwords];
    for (Field f : this.fields) {
      if (f.qword() >= qwords) {
        throw new IllegalArgumentException(name + ": " + f + " lies outside " + qwords + " qwords");
      }
      if ((seen[f.qword()] & f.mask()) != 0) {
        throw new IllegalArgumentException(name + ": " + f + " overlaps another field");
      }
      seen[f.qword()] |= f.mask();
    }
  }

  public String name() {
    return name;
  }

  /** Image size in 64-bit words. */
  public int qwords() {
    return qwords;
  }

  public List<Field> fields() {
    return fields;
  }

  /**
   * Whether {@code field} (this very object) is one of the layout's fields; one array load and a
   * bit test.
   */
  public boolean contains(Field field) {
    int id = field.id();
    int word = id >>> 6;
    return word < members.length && (members[word] & (1L << id)) != 0;
  }

  /** The field called {@code fieldName} (case-insensitive), or {@code null}. */
  public Field field(String fieldName) {
    for (Field f : fields) {
      if (f.name().equalsIgnoreCase(fieldName)) {
        return f;
      }
    }
    return null;
  }

  /** Per qword, the union of all field masks: bits outside it are reserved in this layout. */
  public long[] definedBits() {
    long[] bits = new long[qwords];
    for (Field f : fields) {
      bits[f.qword()] |= f.mask();
    }
    return bits;
  }

  /**
   * The non-zero fields of {@code image} by name, in layout order; named encodings as strings, all
   * else as {@link Long}. Non-zero bits outside every field appear as {@code "q<n>.reserved"}.
   */
  public Map<String, Object> decode(long[] image) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Field f : fields) {
      long v = f.get(image);
      if (v != 0) {
        out.put(f.name(), f.jsonValue(v));
      }
    }
    long[] defined = definedBits();
    for (int i = 0; i < qwords && i < image.length; i++) {
      long stray = image[i] & ~defined[i];
      if (stray != 0) {
        out.put("q" + i + ".reserved", stray);
      }
    }
    return out;
  }

  /**
   * One line listing the non-zero fields of {@code image}: {@code "STE V=1 Config=bypass"}. An
   * image whose fields are all zero prints as {@code "STE (all zero)"}.
   */
  public String describe(long[] image) {
    String fieldText = describeFields(image, null);
    return name + (fieldText.isEmpty() ? " (all zero)" : fieldText);
  }

  /**
   * The non-zero fields of {@code image} as {@code " A=1 B=0x20"} (each with a leading space; empty
   * when none), skipping {@code omitted} (for example an opcode that the caller prints as the name
   * instead), then any set bits outside every field as {@code " q<n>.reserved=0x.."}.
   */
  public String describeFields(long[] image, Field omitted) {
    StringBuilder out = new StringBuilder();
    for (Field f : fields) {
      long v = f.get(image);
      if (f != omitted && v != 0) {
        out.append(' ').append(f.name()).append('=').append(f.format(v));
      }
    }
    long[] defined = definedBits();
    for (int i = 0; i < qwords && i < image.length; i++) {
      long stray = image[i] & ~defined[i];
      if (stray != 0) {
        out.append(" q").append(i).append(".reserved=0x").append(Long.toHexString(stray));
      }
    }
    return out.toString();
  }

  /** Per qword values as {@code 0x%016x} strings, the format the vectors and the CLI use. */
  public static List<String> hex(long[] image) {
    List<String> out = new ArrayList<>(image.length);
    for (long q : image) {
      out.add(String.format("0x%016x", q));
    }
    return out;
  }
}
