package org.smmulab.arch.regs;

import java.util.List;
import org.smmulab.arch.codec.Field;
import org.smmulab.arch.codec.Layout;

/**
 * Fields of GERROR and GERRORN. An error is active while its bit differs between the two: the SMMU
 * toggles the GERROR bit to raise it, software toggles the GERRORN bit to acknowledge it.
 */
public final class GlobalErrors {
  /** Bit 0: command queue error (see CMDQ_CONS.ERR). */
  public static final Field CMDQ_ERR = Field.bit("CMDQ_ERR", 0, 0);

  /** Bit 2: an event queue write was aborted. */
  public static final Field EVTQ_ABT_ERR = Field.bit("EVTQ_ABT_ERR", 0, 2);

  /** Bit 3: a PRI queue write was aborted. */
  public static final Field PRIQ_ABT_ERR = Field.bit("PRIQ_ABT_ERR", 0, 3);

  /** Bit 4: a CMD_SYNC MSI write was aborted. */
  public static final Field MSI_CMDQ_ABT_ERR = Field.bit("MSI_CMDQ_ABT_ERR", 0, 4);

  /** Bit 5: an event queue MSI write was aborted. */
  public static final Field MSI_EVTQ_ABT_ERR = Field.bit("MSI_EVTQ_ABT_ERR", 0, 5);

  /** Bit 6: a PRI queue MSI write was aborted. */
  public static final Field MSI_PRIQ_ABT_ERR = Field.bit("MSI_PRIQ_ABT_ERR", 0, 6);

  /** Bit 7: a global error MSI write was aborted. */
  public static final Field MSI_GERROR_ABT_ERR = Field.bit("MSI_GERROR_ABT_ERR", 0, 7);

  /** Bit 8: the SMMU entered service failure mode. */
  public static final Field SFM_ERR = Field.bit("SFM_ERR", 0, 8);

  private static final List<Field> FIELDS =
      List.of(
          CMDQ_ERR,
          EVTQ_ABT_ERR,
          PRIQ_ABT_ERR,
          MSI_CMDQ_ABT_ERR,
          MSI_EVTQ_ABT_ERR,
          MSI_PRIQ_ABT_ERR,
          MSI_GERROR_ABT_ERR,
          SFM_ERR);

  /** GERROR. */
  public static final Layout LAYOUT = new Layout("GERROR", 1, FIELDS);

  /** GERRORN: the same fields. */
  public static final Layout ACK_LAYOUT = new Layout("GERRORN", 1, FIELDS);

  private GlobalErrors() {}

  /** The errors active for this pair of register values: {@code gerror ^ gerrorn}. */
  public static int active(int gerror, int gerrorn) {
    return gerror ^ gerrorn;
  }
}
