package org.smmulab.arch.ste;

import java.util.List;
import org.smmulab.arch.codec.Field;
import org.smmulab.arch.codec.Layout;
import org.smmulab.arch.codec.QwordImage;

/**
 * A level-1 stream table descriptor (8 bytes) of a two-level stream table: it points at a level-2
 * table of STEs ({@code STRTAB_L1_DESC} in Linux).
 *
 * <p>SPAN = 0 marks the descriptor invalid (a StreamID in its range raises C_BAD_STREAMID);
 * otherwise the level-2 table holds {@code 2^(SPAN-1)} STEs.
 */
public final class L1StreamDescriptor extends QwordImage {
  /** Size of the level-2 table: 0 invalid, else 2^(SPAN-1) STEs. */
  public static final Field SPAN = Field.of("SPAN", 0, 4, 0);

  /** Level-2 table address, bits [51:6] in place. */
  public static final Field L2PTR = Field.address("L2Ptr", 0, 51, 6);

  /** The descriptor's fields. */
  public static final Layout LAYOUT = new Layout("L1STD", 1, List.of(SPAN, L2PTR));

  private L1StreamDescriptor(long[] qwords) {
    super(LAYOUT, qwords);
  }

  /** Decodes a descriptor; every bit pattern is accepted. */
  public static L1StreamDescriptor decode(long qword0) {
    return new L1StreamDescriptor(new long[] {qword0});
  }

  /** A builder that truncates each value to its field. */
  public static Builder<L1StreamDescriptor> builder() {
    return new Builder<>(LAYOUT, L1StreamDescriptor::new);
  }

  /** A valid descriptor for a level-2 table of {@code 2^(span-1)} STEs at {@code l2Table}. */
  public static L1StreamDescriptor of(long l2Table, int span) {
    return builder().set(SPAN, span).set(L2PTR, l2Table).build();
  }

  /** Whether the descriptor is valid (SPAN != 0). */
  public boolean valid() {
    return span() != 0;
  }

  public int span() {
    return (int) get(SPAN);
  }

  /** The level-2 table address. */
  public long l2Table() {
    return get(L2PTR);
  }

  /** Number of STEs in the level-2 table (0 when invalid). */
  public long l2Entries() {
    return valid() ? 1L << (span() - 1) : 0;
  }

  /** The raw qword. */
  public long raw() {
    return qword(0);
  }
}
