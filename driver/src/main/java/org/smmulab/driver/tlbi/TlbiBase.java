package org.smmulab.driver.tlbi;

import java.util.Set;
import org.smmulab.arch.cmd.Command;
import org.smmulab.arch.cmd.Opcode;
import org.smmulab.arch.cmd.TlbiRange;

/**
 * The fixed part of an address-based TLBI: which command, and the tag it carries (ASID, VMID or
 * both, as the opcode defines). {@link TlbiRangeBuilder} combines it with one {@link TlbiRange} per
 * emitted command. Tags the opcode does not carry are ignored.
 *
 * @param opcode one of the address forms: TLBI_NH_VA, TLBI_NH_VAA, TLBI_EL2_VA, TLBI_EL2_VAA,
 *     TLBI_EL3_VA or TLBI_S2_IPA
 * @param vmid the VMID (16 bits) for the NH and S2 forms
 * @param asid the ASID (16 bits) for the NH_VA and EL2_VA forms
 */
public record TlbiBase(Opcode opcode, int vmid, int asid) {
  private static final Set<Opcode> ADDRESS_FORMS =
      Set.of(
          Opcode.TLBI_NH_VA,
          Opcode.TLBI_NH_VAA,
          Opcode.TLBI_EL2_VA,
          Opcode.TLBI_EL2_VAA,
          Opcode.TLBI_EL3_VA,
          Opcode.TLBI_S2_IPA);

  /**
   * Checks the opcode and the tag widths.
   *
   * @throws IllegalArgumentException if the opcode has no address, or a tag exceeds 16 bits
   */
  public TlbiBase {
    if (!ADDRESS_FORMS.contains(opcode)) {
      throw new IllegalArgumentException(
          "TlbiBase: "
              + opcode
              + " is not an address-based TLBI (expected one of "
              + ADDRESS_FORMS
              + ")");
    }
    if ((vmid & ~0xFFFF) != 0 || (asid & ~0xFFFF) != 0) {
      throw new IllegalArgumentException(
          "TlbiBase: VMID " + vmid + " and ASID " + asid + " must both fit 16 bits");
    }
  }

  /** Stage-1 invalidation of one ASID within a VMID (what an S1 domain tag uses). */
  public static TlbiBase nhVa(int vmid, int asid) {
    return new TlbiBase(Opcode.TLBI_NH_VA, vmid, asid);
  }

  /** Stage-2 invalidation by IPA for a VMID (what an S2 domain tag uses). */
  public static TlbiBase s2Ipa(int vmid) {
    return new TlbiBase(Opcode.TLBI_S2_IPA, vmid, 0);
  }

  /** EL2 invalidation of one ASID (a host-owned stage-1 table with E2H). */
  public static TlbiBase el2Va(int asid) {
    return new TlbiBase(Opcode.TLBI_EL2_VA, 0, asid);
  }

  /**
   * The command for {@code range}.
   *
   * @throws IllegalArgumentException if the address does not fit the command's address field
   *     (TLBI_S2_IPA keeps IPA bits [51:12] only)
   */
  public Command with(TlbiRange range) {
    Command c =
        switch (opcode) {
          case TLBI_NH_VA -> Command.tlbiNhVa(vmid, asid, range);
          case TLBI_NH_VAA -> Command.tlbiNhVaa(vmid, range);
          case TLBI_EL2_VA -> Command.tlbiEl2Va(asid, range);
          case TLBI_EL2_VAA -> Command.tlbiEl2Vaa(range);
          case TLBI_EL3_VA -> Command.tlbiEl3Va(range);
          case TLBI_S2_IPA -> Command.tlbiS2Ipa(vmid, range);
          default -> throw new IllegalStateException("unchecked opcode " + opcode);
        };
    if (c.address() != range.address()) {
      throw new IllegalArgumentException(
          String.format(
              "%s: address 0x%x does not fit the command's address field",
              opcode, range.address()));
    }
    return c;
  }
}
