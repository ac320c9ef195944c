package org.smmulab.arch.regs;

import java.util.List;
import org.smmulab.arch.codec.Field;
import org.smmulab.arch.codec.Layout;
import org.smmulab.arch.codec.ValueNames;

/**
 * Fields of GBPA, the global bypass attributes applied while CR0.SMMUEN = 0. Software changes it
 * with a handshake: wait for UPDATE = 0, write the new value with UPDATE = 1, wait for UPDATE = 0.
 *
 * <p>UPDATE, ABORT and SHCFG are confirmed by Linux and QEMU (whose reset value 0x1000 means SHCFG
 * = use incoming); the positions of the other attribute overrides follow the architecture
 * specification as remembered and are not verified against it.
 */
public final class Gbpa {
  /** SHCFG encodings: 0 non-shareable, 1 use the incoming attribute, 2 outer, 3 inner. */
  public static final ValueNames SHAREABILITY_OVERRIDE =
      ValueNames.of(0, "non", 1, "incoming", 2, "outer", 3, "inner");

  /** Bits [3:0]: memory type override. */
  public static final Field MEMATTR = Field.of("MEMATTR", 0, 3, 0);

  /** Bit 4: 1 = replace the incoming memory type by MEMATTR. */
  public static final Field MTCFG = Field.bit("MTCFG", 0, 4);

  /** Bits [11:8]: allocation hints override. */
  public static final Field ALLOCCFG = Field.of("ALLOCCFG", 0, 11, 8);

  /** Bits [13:12]: shareability override. */
  public static final Field SHCFG = Field.of("SHCFG", 0, 13, 12).withNames(SHAREABILITY_OVERRIDE);

  /** Bits [17:16]: privilege override. */
  public static final Field PRIVCFG = Field.of("PRIVCFG", 0, 17, 16);

  /** Bits [19:18]: instruction/data override. */
  public static final Field INSTCFG = Field.of("INSTCFG", 0, 19, 18);

  /** Bit 20: abort all incoming transactions instead of bypassing them. */
  public static final Field ABORT = Field.bit("ABORT", 0, 20);

  /** Bit 31: an update is in progress (software sets it with the new value). */
  public static final Field UPDATE = Field.bit("UPDATE", 0, 31);

  /** GBPA. */
  public static final Layout LAYOUT =
      new Layout(
          "GBPA", 1, List.of(MEMATTR, MTCFG, ALLOCCFG, SHCFG, PRIVCFG, INSTCFG, ABORT, UPDATE));

  private Gbpa() {}
}
