package org.smmulab.verify.scenario;

import java.util.Locale;

/**
 * The number syntax of scenario files: decimal or {@code 0x} hex, with {@code _} allowed between
 * digits; sizes may end in {@code K}, {@code M} or {@code G} (powers of 1024).
 */
public final class Numbers {
  private Numbers() {}

  /**
   * Parses a number.
   *
   * @return the value, or {@code null} if {@code text} is not a number (or does not fit 64 bits
   *     unsigned)
   */
  public static Long parse(String text) {
    String t = text.trim().replace("_", "");
    try {
      if (t.startsWith("0x") || t.startsWith("0X")) {
        String digits = t.substring(2);
        return digits.matches("[0-9a-fA-F]{1,16}") ? Long.parseUnsignedLong(digits, 16) : null;
      }
      return t.matches("[0-9]{1,19}") ? Long.parseLong(t) : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * Parses a size: a number, or a number followed by {@code K}, {@code M} or {@code G}.
   *
   * @return the bytes, or {@code null} if {@code text} is not a size or overflows
   */
  public static Long parseSize(String text) {
    String t = text.trim();
    if (t.isEmpty()) {
      return null;
    }
    char unit = Character.toUpperCase(t.charAt(t.length() - 1));
    int shift =
        switch (unit) {
          case 'K' -> 10;
          case 'M' -> 20;
          case 'G' -> 30;
          default -> 0;
        };
    Long value = parse(shift == 0 ? t : t.substring(0, t.length() - 1));
    if (value == null || value < 0 || (shift > 0 && value > (Long.MAX_VALUE >>> shift))) {
      return null;
    }
    return value << shift;
  }

  /** A size as people write it: {@code 4K}, {@code 2M}, {@code 1G}, else hex bytes. */
  public static String size(long bytes) {
    if (bytes > 0 && bytes % (1L << 30) == 0) {
      return (bytes >> 30) + "G";
    }
    if (bytes > 0 && bytes % (1L << 20) == 0) {
      return (bytes >> 20) + "M";
    }
    if (bytes > 0 && bytes % (1L << 10) == 0) {
      return (bytes >> 10) + "K";
    }
    return String.format(Locale.ROOT, "0x%x", bytes);
  }
}
