package org.smmulab.arch.regs;

import java.util.List;
import org.smmulab.arch.codec.Field;
import org.smmulab.arch.codec.Layout;
import org.smmulab.arch.codec.QwordImage;
import org.smmulab.arch.codec.ValueNames;
import org.smmulab.arch.pte.AddressSize;
import org.smmulab.arch.pte.Granule;

/** IDR5: output address size, supported granules, virtual address size and STALL_MAX. Immutable. */
public final class Idr5 extends QwordImage {
  /** VAX encodings: 0 48-bit virtual addresses, 1 52-bit. */
  public static final ValueNames VA_SIZES = ValueNames.of(0, "48-bit", 1, "52-bit");

  /** Bits [2:0]: output address size, in the {@link AddressSize} encoding. */
  public static final Field OAS = Field.of("OAS", 0, 2, 0).withNames(AddressSize.NAMES);

  /** Bit 4: 4 KiB granule supported. */
  public static final Field GRAN4K = Field.bit("GRAN4K", 0, 4);

  /** Bit 5: 16 KiB granule supported. */
  public static final Field GRAN16K = Field.bit("GRAN16K", 0, 5);

  /** Bit 6: 64 KiB granule supported. */
  public static final Field GRAN64K = Field.bit("GRAN64K", 0, 6);

  /** Bits [11:10]: virtual address size. */
  public static final Field VAX = Field.of("VAX", 0, 11, 10).withNames(VA_SIZES);

  /** Bits [31:16]: maximum number of outstanding stalled transactions. */
  public static final Field STALL_MAX = Field.of("STALL_MAX", 0, 31, 16);

  /** The register's fields. */
  public static final Layout LAYOUT =
      new Layout("IDR5", 1, List.of(OAS, GRAN4K, GRAN16K, GRAN64K, VAX, STALL_MAX));

  private Idr5(long[] qwords) {
    super(LAYOUT, qwords);
  }

  /** Decodes a value read from the register (zero-extended); every bit pattern is accepted. */
  public static Idr5 decode(int value) {
    return new Idr5(new long[] {Integer.toUnsignedLong(value)});
  }

  /** A builder starting from zero that truncates each value to its field. */
  public static Builder<Idr5> builder() {
    return new Builder<>(LAYOUT, Idr5::new);
  }

  /** The register value. */
  public int value() {
    return (int) qword(0);
  }

  /** OAS encoding (see {@link AddressSize}). */
  public int oas() {
    return (int) get(OAS);
  }

  /** Output address size in bits, or -1 if OAS holds the reserved encoding 7. */
  public int oasBits() {
    return AddressSize.bits(oas());
  }

  public boolean gran4k() {
    return get(GRAN4K) != 0;
  }

  public boolean gran16k() {
    return get(GRAN16K) != 0;
  }

  public boolean gran64k() {
    return get(GRAN64K) != 0;
  }

  /** Whether {@code granule} is supported. */
  public boolean supports(Granule granule) {
    switch (granule) {
      case SIZE_4K:
        return gran4k();
      case SIZE_16K:
        return gran16k();
      default:
        return gran64k();
    }
  }

  /** VAX encoding (see {@link #VA_SIZES}). */
  public int vax() {
    return (int) get(VAX);
  }

  public int stallMax() {
    return (int) get(STALL_MAX);
  }
}
