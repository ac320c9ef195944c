package org.smmulab.arch.codec;

import java.util.Map;
import java.util.TreeMap;

/**
 * Human-readable names for the encodings of one field, for example {@code 0b100 -> "bypass"} for
 * STE.Config. A value without a name is shown as {@code reserved(n)}, so every bit pattern decodes.
 */
public final class ValueNames {
  private final Map<Long, String> names;

  private ValueNames(Map<Long, String> names) {
    this.names = Map.copyOf(names);
  }

  /**
   * Builds the table from alternating value and name arguments: {@code of(0, "abort", 4,
   * "bypass")}.
   *
   * @throws IllegalArgumentException if the arguments do not alternate between a number and a name
   */
  public static ValueNames of(Object... valueNamePairs) {
    if (valueNamePairs.length % 2 != 0) {
      throw new IllegalArgumentException("value/name pairs expected");
    }
    Map<Long, String> map = new TreeMap<>();
    for (int i = 0; i < valueNamePairs.length; i += 2) {
      long value = ((Number) valueNamePairs[i]).longValue();
      String name = (String) valueNamePairs[i + 1];
      if (map.put(value, name) != null) {
        throw new IllegalArgumentException("duplicate value " + value);
      }
    }
    return new ValueNames(map);
  }

  /** The name of {@code value}, or {@code reserved(value)} if the architecture gives it none. */
  public String nameOf(long value) {
    String name = names.get(value);
    return name != null ? name : "reserved(" + value + ")";
  }

  /** Whether {@code value} is an architected (named) encoding. */
  public boolean isNamed(long value) {
    return names.containsKey(value);
  }

  /**
   * The value whose name is {@code name} (case-insensitive), or -1 if none.
   *
   * @param name a name as {@link #nameOf} prints it
   */
  public long valueOf(String name) {
    for (Map.Entry<Long, String> e : names.entrySet()) {
      if (e.getValue().equalsIgnoreCase(name)) {
        return e.getKey();
      }
    }
    return -1;
  }

  /** All named values, ascending. */
  public Map<Long, String> asMap() {
    return new TreeMap<>(names);
  }
}
