package org.smmulab.arch.regs;

import org.smmulab.arch.codec.Layout;
import org.smmulab.arch.codec.QwordImage;

/**
 * An immutable value of one register without typed accessors of its own (CR0, GBPA, CMDQ_BASE,
 * ...): a one-qword image of the register's 32- or 64-bit value under the register's {@link
 * Layout}, read with the layout's field constants, e.g. {@code value.get(Cr0.SMMUEN)}.
 *
 * <p>Every bit pattern is accepted; bits outside the register's fields show up in {@link
 * #describe()} as reserved.
 */
public final class RegisterValue extends QwordImage {
  private RegisterValue(Layout layout, long[] qwords) {
    super(checkSize(layout), qwords);
  }

  private static Layout checkSize(Layout layout) {
    if (layout.qwords() != 1) {
      throw new IllegalArgumentException(
          layout.name() + " is not a register layout: " + layout.qwords() + " qwords");
    }
    return layout;
  }

  /**
   * The value {@code raw} of the register described by {@code layout}.
   *
   * @throws IllegalArgumentException if {@code layout} is not a one-qword register layout
   */
  public static RegisterValue of(Layout layout, long raw) {
    return new RegisterValue(layout, new long[] {raw});
  }

  /**
   * The value of a 32-bit register as read from the bus: {@code raw} is zero-extended, so bit 31
   * stays bit 31.
   *
   * @throws IllegalArgumentException if {@code layout} is not a one-qword register layout
   */
  public static RegisterValue of32(Layout layout, int raw) {
    return of(layout, Integer.toUnsignedLong(raw));
  }

  /**
   * A builder for a register of {@code layout}, starting from zero, that truncates each value to
   * its field.
   *
   * @throws IllegalArgumentException if {@code layout} is not a one-qword register layout
   */
  public static Builder<RegisterValue> builder(Layout layout) {
    checkSize(layout);
    return new Builder<>(layout, qwords -> new RegisterValue(layout, qwords));
  }

  /** The register's value (a 32-bit register in the low half). */
  public long value() {
    return qword(0);
  }

  /** The low 32 bits, as written to a 32-bit register. */
  public int value32() {
    return (int) qword(0);
  }
}
