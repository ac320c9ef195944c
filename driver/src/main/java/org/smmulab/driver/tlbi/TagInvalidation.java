package org.smmulab.driver.tlbi;

import static org.smmulab.arch.cmd.CommandFields.ASID;
import static org.smmulab.arch.cmd.CommandFields.VMID;

import org.smmulab.arch.cmd.Command;
import org.smmulab.arch.cmd.CommandBatch;
import org.smmulab.arch.cmd.Opcode;

/**
 * The command that invalidates everything one tag covers (an entry's {@code nsize_opcode} in Linux
 * terms): TLBI_NH_ASID for a stage-1 ASID (VMID 0), TLBI_EL2_ASID for an EL2 ASID, TLBI_S12_VMALL
 * for a VMID, and TLBI_NH_ALL for the guest stage-1 entries of a VMID. Encoded straight into the
 * two qwords, bit for bit what {@link Command}'s factories of the same name produce.
 */
public final class TagInvalidation {
  private TagInvalidation() {}

  /** Whether {@link #command} accepts {@code opcode}. */
  public static boolean isWholeTagOpcode(Opcode opcode) {
    return switch (opcode) {
      case TLBI_NH_ASID, TLBI_EL2_ASID, TLBI_S12_VMALL, TLBI_NH_ALL -> true;
      default -> false;
    };
  }

  /**
   * The whole-tag command.
   *
   * @param opcode TLBI_NH_ASID, TLBI_EL2_ASID, TLBI_S12_VMALL or TLBI_NH_ALL
   * @param id the ASID for the ASID forms, the VMID for the others (16 bits, truncated like the
   *     kernel's {@code FIELD_PREP})
   * @throws IllegalArgumentException for any other opcode
   */
  public static Command command(Opcode opcode, int id) {
    return Command.decode(qword0(opcode, id), 0);
  }

  /**
   * Appends the command {@link #command} builds to {@code out}, encoded in place.
   *
   * @throws IllegalArgumentException for an opcode {@link #command} refuses (nothing is appended)
   */
  public static void appendTo(CommandBatch out, Opcode opcode, int id) {
    out.add(qword0(opcode, id), 0);
  }

  private static long qword0(Opcode opcode, int id) {
    long tag =
        switch (opcode) {
          case TLBI_NH_ASID, TLBI_EL2_ASID -> ASID.insert(0, id);
          case TLBI_S12_VMALL, TLBI_NH_ALL -> VMID.insert(0, id);
          default ->
              throw new IllegalArgumentException(
                  opcode
                      + " is not a whole-tag invalidation (TLBI_NH_ASID, TLBI_EL2_ASID,"
                      + " TLBI_S12_VMALL or TLBI_NH_ALL)");
        };
    return Opcode.FIELD.insert(tag, opcode.value());
  }
}
