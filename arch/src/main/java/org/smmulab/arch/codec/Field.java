package org.smmulab.arch.codec;

import java.util.Objects;

/**
 * One named bit range {@code [hi:lo]} of one qword of an architected structure.
 *
 * <p>A field is either a <em>value</em> field, whose value is the bits shifted down to bit 0 (the
 * kernel's {@code FIELD_GET}/{@code FIELD_PREP}), or an <em>address</em> field, whose value keeps
 * the bits in place (an address whose low bits are zero, as the kernel writes {@code dma &
 * GENMASK(51, 6)}).
 *
 * <p>Writes truncate: {@link #insert} keeps only the bits that fit, exactly as {@code FIELD_PREP}
 * does (so S1CDMax = 0xFF becomes 31). Callers that must reject such input use {@link #fits} first,
 * as {@link QwordImage.Builder#checked()} builders do.
 */
public final class Field {
  /**
   * Fields made so far; guarded by the class lock (fields are made by many classes' initialisers).
   */
  private static int made;

  private final int id = nextId();
  private final String name;
  private final int qword;
  private final int lo;
  private final int width;
  private final long mask;
  private final boolean address;
  private final ValueNames names;

  private Field(String name, int qword, int hi, int lo, boolean address, ValueNames names) {
    if (qword < 0 || lo < 0 || hi > 63 || hi < lo) {
      throw new IllegalArgumentException(
          "bad field " + name + " q" + qword + "[" + hi + ":" + lo + "]");
    }
    this.name = Objects.requireNonNull(name);
    this.qword = qword;
    this.lo = lo;
    this.width = hi - lo + 1;
    this.mask = width == 64 ? -1L : ((1L << width) - 1) << lo;
    this.address = address;
    this.names = names;
  }

  private static synchronized int nextId() {
    return made++;
  }

  /** A value field {@code q<qword>[hi:lo]}. */
  public static Field of(String name, int qword, int hi, int lo) {
    return new Field(name, qword, hi, lo, false, null);
  }

  /** A one-bit value field {@code q<qword>[bit]}. */
  public static Field bit(String name, int qword, int bit) {
    return new Field(name, qword, bit, bit, false, null);
  }

  /** An address field {@code q<qword>[hi:lo]} whose value keeps its bits in place. */
  public static Field address(String name, int qword, int hi, int lo) {
    return new Field(name, qword, hi, lo, true, null);
  }

  /** This field with names for its encodings (used by {@link #format} and decoders). */
  public Field withNames(ValueNames valueNames) {
    return new Field(name, qword, hi(), lo, address, Objects.requireNonNull(valueNames));
  }

  public String name() {
    return name;
  }

  /**
   * A number no other field object has (fields are numbered as they are made), so that a {@link
   * Layout} can test membership with one bit instead of hashing.
   */
  int id() {
    return id;
  }

  /** Index of the qword that holds this field (0 for 32-bit registers). */
  public int qword() {
    return qword;
  }

  public int lo() {
    return lo;
  }

  public int hi() {
    return lo + width - 1;
  }

  public int width() {
    return width;
  }

  public boolean isAddress() {
    return address;
  }

  /** Names of this field's encodings, or {@code null} for a plain number. */
  public ValueNames names() {
    return names;
  }

  /** The field's bits in place within its qword ({@code GENMASK(hi, lo)}). */
  public long mask() {
    return mask;
  }

  /** Largest value a value field holds; for an address field, the in-place mask. */
  public long maxValue() {
    return address ? mask() : (width == 64 ? -1L : (1L << width) - 1);
  }

  /** The field's value in {@code qwordValue} (shifted down, or in place for an address field). */
  public long extract(long qwordValue) {
    return address ? qwordValue & mask() : (qwordValue & mask()) >>> lo;
  }

  /** {@code qwordValue} with this field replaced by {@code value}, truncated to the field. */
  public long insert(long qwordValue, long value) {
    long bits = address ? value & mask() : (value << lo) & mask();
    return (qwordValue & ~mask()) | bits;
  }

  /** The field's value in an image. */
  public long get(long[] qwords) {
    return extract(qwords[qword]);
  }

  /** Replaces the field in an image, truncating as {@code FIELD_PREP} does. */
  public void set(long[] qwords, long value) {
    qwords[qword] = insert(qwords[qword], value);
  }

  /** Whether {@code value} fits the field without losing bits. */
  public boolean fits(long value) {
    return address ? (value & ~mask()) == 0 : (width == 64 || (value >>> width) == 0);
  }

  /**
   * The value as people read it: a name for named fields (or {@code reserved(n)}), hex for
   * addresses and for values of ten or more, decimal below ten.
   */
  public String format(long value) {
    if (names != null) {
      return names.nameOf(value);
    }
    if (address || value < 0 || value >= 10) {
      return "0x" + Long.toHexString(value);
    }
    return Long.toString(value);
  }

  /** The value as a JSON-friendly object: the name (String) for named fields, else a Long. */
  public Object jsonValue(long value) {
    return names != null ? names.nameOf(value) : (Object) value;
  }

  @Override
  public String toString() {
    return name + "=q" + qword + "[" + hi() + ":" + lo + "]";
  }
}
