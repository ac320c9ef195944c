package org.smmulab.arch.codec;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;

/**
 * An immutable value of an architected structure: its qwords plus the {@link Layout} that names
 * them. Subclasses add typed accessors; equality is by layout and bits.
 *
 * <p>Construction never rejects a bit pattern, only a wrong number of qwords: decoding hardware
 * state must always succeed.
 */
public abstract class QwordImage {
  private final Layout layout;
  private final long[] qwords;

  /**
   * @param layout the structure
   * @param qwords exactly {@code layout.qwords()} words, copied
   * @throws IllegalArgumentException if the number of qwords is wrong
   */
  protected QwordImage(Layout layout, long[] qwords) {
    if (qwords.length != layout.qwords()) {
      throw new IllegalArgumentException(
          layout.name() + " needs " + layout.qwords() + " qwords, got " + qwords.length);
    }
    this.layout = layout;
    this.qwords = qwords.clone();
  }

  public final Layout layout() {
    return layout;
  }

  /** Qword {@code index}. */
  public final long qword(int index) {
    return qwords[index];
  }

  /** A copy of all qwords, qword 0 first. */
  public final long[] toQwords() {
    return qwords.clone();
  }

  /** The value of {@code field} in this image. */
  public final long get(Field field) {
    return field.get(qwords);
  }

  /** One line naming every non-zero field, e.g. {@code "STE V=1 Config=bypass SHCFG=incoming"}. */
  public String describe() {
    return layout.describe(qwords);
  }

  /** The non-zero fields by name (names as strings for named encodings, else {@link Long}). */
  public Map<String, Object> fields() {
    return layout.decode(qwords);
  }

  @Override
  public final boolean equals(Object o) {
    return o instanceof QwordImage
        && ((QwordImage) o).layout == layout
        && Arrays.equals(((QwordImage) o).qwords, qwords);
  }

  @Override
  public final int hashCode() {
    return layout.hashCode() * 31 + Arrays.hashCode(qwords);
  }

  @Override
  public String toString() {
    return describe() + " " + Layout.hex(qwords);
  }

  /**
   * Builds an image field by field.
   *
   * <p>The default builder truncates values to their field as the kernel's {@code FIELD_PREP} does.
   * A {@link #checked()} builder instead rejects any value that does not fit, naming the field: use
   * it for user-facing input.
   *
   * @param <T> the image type built
   */
  public static final class Builder<T extends QwordImage> {
    private final Layout layout;
    private final Function<long[], T> factory;
    private final long[] qwords;
    private boolean checked;

    /**
     * @param layout the structure
     * @param factory makes the image from its qwords
     */
    public Builder(Layout layout, Function<long[], T> factory) {
      this(layout, factory, new long[layout.qwords()]);
    }

    /**
     * @param layout the structure
     * @param factory makes the image from its qwords
     * @param start the initial qwords (copied)
     */
    public Builder(Layout layout, Function<long[], T> factory, long[] start) {
      this.layout = layout;
      this.factory = factory;
      this.qwords = Arrays.copyOf(start, layout.qwords());
    }

    /** Makes this builder reject values that do not fit their field instead of truncating them. */
    public Builder<T> checked() {
      this.checked = true;
      return this;
    }

    /**
     * Sets {@code field} to {@code value}.
     *
     * @throws IllegalArgumentException in a checked builder, if the value does not fit the field
     */
    public Builder<T> set(Field field, long value) {
      if (checked && !field.fits(value)) {
        throw new IllegalArgumentException(
            String.format(
                "%s.%s: 0x%x does not fit %s (%d bits%s)",
                layout.name(),
                field.name(),
                value,
                "q" + field.qword() + "[" + field.hi() + ":" + field.lo() + "]",
                field.width(),
                field.isAddress() ? ", address bits in place" : ""));
      }
      field.set(qwords, value);
      return this;
    }

    /** Sets a one-bit (or any) field to 1 or 0. */
    public Builder<T> set(Field field, boolean value) {
      return set(field, value ? 1 : 0);
    }

    /** Replaces a whole qword. */
    public Builder<T> qword(int index, long value) {
      qwords[index] = value;
      return this;
    }

    /** The current value of {@code field}. */
    public long get(Field field) {
      return field.get(qwords);
    }

    public T build() {
      return factory.apply(qwords.clone());
    }
  }
}
