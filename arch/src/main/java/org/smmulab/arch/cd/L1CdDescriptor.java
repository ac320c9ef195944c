package org.smmulab.arch.cd;

import java.util.List;
import org.smmulab.arch.codec.Field;
import org.smmulab.arch.codec.Layout;
import org.smmulab.arch.codec.QwordImage;

/**
 * A level-1 descriptor (8 bytes) of a two-level CD table: it points at a leaf table of CDs ({@code
 * CTXDESC_L1_DESC} in Linux).
 *
 * <p>V = 0 marks the descriptor invalid (a SubstreamID in its range raises C_BAD_SUBSTREAMID). The
 * leaf holds 64 CDs (STE.S1Fmt = 2lvl-4k) or 1024 CDs (2lvl-64k); its address is at least 4 KiB
 * aligned, so L2Ptr keeps bits [51:12] only.
 */
public final class L1CdDescriptor extends QwordImage {
  /** Valid, q0[0]. */
  public static final Field V = Field.bit("V", 0, 0);

  /**
   * Leaf CD table address, bits [51:12] in place (52-bit addresses, as Linux writes them; the
   * architecture's bits 55:52 print as reserved).
   */
  public static final Field L2PTR = Field.address("L2Ptr", 0, 51, 12);

  /** The descriptor's fields. */
  public static final Layout LAYOUT = new Layout("L1CD", 1, List.of(V, L2PTR));

  private L1CdDescriptor(long[] qwords) {
    super(LAYOUT, qwords);
  }

  /** Decodes a descriptor; every bit pattern is accepted. */
  public static L1CdDescriptor decode(long qword0) {
    return new L1CdDescriptor(new long[] {qword0});
  }

  /** A builder that truncates each value to its field. */
  public static Builder<L1CdDescriptor> builder() {
    return new Builder<>(LAYOUT, L1CdDescriptor::new);
  }

  /** A builder that rejects, naming the field, values that do not fit. */
  public static Builder<L1CdDescriptor> checkedBuilder() {
    return builder().checked();
  }

  /** A truncating builder starting from this descriptor. */
  public Builder<L1CdDescriptor> toBuilder() {
    return new Builder<>(LAYOUT, L1CdDescriptor::new, toQwords());
  }

  /**
   * A valid descriptor for the leaf table at {@code l2Table}.
   *
   * @param l2Table the leaf address; bits outside [51:12] are dropped as {@code FIELD_PREP} would
   */
  public static L1CdDescriptor of(long l2Table) {
    return builder().set(V, 1).set(L2PTR, l2Table).build();
  }

  /** Whether V is set. */
  public boolean valid() {
    return get(V) != 0;
  }

  /** The leaf CD table address. */
  public long l2Table() {
    return get(L2PTR);
  }

  /** The raw qword. */
  public long raw() {
    return qword(0);
  }
}
