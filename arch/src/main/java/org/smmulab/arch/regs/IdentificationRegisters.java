package org.smmulab.arch.regs;

import java.util.List;
import org.smmulab.arch.codec.Field;
import org.smmulab.arch.codec.Layout;

/** Fields of IIDR (who made this SMMU) and AIDR (which SMMUv3.x revision it implements). */
public final class IdentificationRegisters {
  /** IIDR bits [11:0]: JEP106 implementer code; Arm is 0x43B. */
  public static final Field IMPLEMENTER = Field.of("Implementer", 0, 11, 0);

  /** IIDR bits [15:12]: revision. */
  public static final Field REVISION = Field.of("Revision", 0, 15, 12);

  /** IIDR bits [19:16]: variant. */
  public static final Field VARIANT = Field.of("Variant", 0, 19, 16);

  /** IIDR bits [31:20]: product ID (Arm MMU-600 0x483, MMU-700 0x487). */
  public static final Field PRODUCT_ID = Field.of("ProductID", 0, 31, 20);

  /** The implementer code of Arm. */
  public static final int IMPLEMENTER_ARM = 0x43B;

  /** IIDR. */
  public static final Layout IIDR_LAYOUT =
      new Layout("IIDR", 1, List.of(IMPLEMENTER, REVISION, VARIANT, PRODUCT_ID));

  /** AIDR bits [3:0]: architecture minor revision (1 = SMMUv3.1). */
  public static final Field ARCH_MINOR_REV = Field.of("ArchMinorRev", 0, 3, 0);

  /** AIDR bits [7:4]: architecture major revision (0 = SMMUv3). */
  public static final Field ARCH_MAJOR_REV = Field.of("ArchMajorRev", 0, 7, 4);

  /** AIDR. */
  public static final Layout AIDR_LAYOUT =
      new Layout("AIDR", 1, List.of(ARCH_MINOR_REV, ARCH_MAJOR_REV));

  private IdentificationRegisters() {}
}
