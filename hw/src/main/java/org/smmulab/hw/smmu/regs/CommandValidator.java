package org.smmulab.hw.smmu.regs;

import org.smmulab.arch.cmd.Command;
import org.smmulab.arch.cmd.CommandFields;
import org.smmulab.hw.smmu.SmmuConfig;

/**
 * Decides which commands are illegal on this instance's Non-secure command queue (CERROR_ILL):
 *
 * <ul>
 *   <li>an opcode the architecture does not define;
 *   <li>SSEC = 1 (a Secure stream named on the Non-secure queue), in the commands that carry it;
 *   <li>TLBI_EL3_* (Secure queue only); TLBI_EL2_* on an instance without HYP; TLBI_S12_VMALL and
 *       TLBI_S2_IPA without stage 2; ATC_INV without ATS; PRI_RESP without PRI;
 *   <li>a range TLBI whose TTL names a level that cannot hold a leaf of its granule: level 1 of 16
 *       KiB or 64 KiB (no 52-bit descriptors here);
 *   <li>with the strict-reserved-encodings knob, a range TLBI with NUM = SCALE = TTL = 0, which the
 *       architecture reserves (Linux avoids it for non-leaf ranges by adding a page);
 *   <li>a CMD_SYNC with the reserved completion signal CS = 3.
 * </ul>
 *
 * <p>Pure and thread-safe.
 */
public final class CommandValidator {
  private static final int TG_16K = 2;
  private static final int TG_64K = 3;

  private final SmmuConfig config;

  /**
   * @param config the instance, whose features decide which commands exist
   */
  public CommandValidator(SmmuConfig config) {
    this.config = config;
  }

  /** Why {@code command} is illegal, or {@code null} when it may be performed. */
  public String problem(Command command) {
    if (!command.isArchitected()) {
      return String.format("unknown opcode 0x%02x", command.opcodeValue());
    }
    if (command.has(CommandFields.SSEC) && command.ssec()) {
      return "SSEC set on the Non-secure command queue";
    }
    switch (command.opcode()) {
      case TLBI_EL3_ALL, TLBI_EL3_VA -> {
        return "EL3 invalidation on the Non-secure command queue";
      }
      case TLBI_EL2_ALL, TLBI_EL2_ASID, TLBI_EL2_VA, TLBI_EL2_VAA -> {
        if (!config.hyp()) {
          return "EL2 invalidation on an instance without HYP";
        }
      }
      case TLBI_S12_VMALL, TLBI_S2_IPA -> {
        if (!config.stage2()) {
          return "stage-2 invalidation on an instance without stage 2";
        }
      }
      case ATC_INV -> {
        if (!config.ats()) {
          return "ATC_INV on an instance without ATS";
        }
      }
      case PRI_RESP -> {
        if (!config.pri()) {
          return "PRI_RESP on an instance without PRI";
        }
      }
      case CMD_SYNC -> {
        if (command.cs() == 3) {
          return "CMD_SYNC with reserved CS 3";
        }
      }
      default -> {}
    }
    if (command.has(CommandFields.TG)) {
      return rangeProblem(command);
    }
    return null;
  }

  private String rangeProblem(Command command) {
    int tg = command.tg();
    int ttl = command.ttl();
    if (tg == 0) {
      return null;
    }
    if (ttl == 1 && (tg == TG_16K || tg == TG_64K)) {
      return "TTL level 1 cannot hold a leaf of the " + (tg == TG_16K ? "16K" : "64K") + " granule";
    }
    if (config.model().strictReservedEncodings()
        && command.num() == 0
        && command.scale() == 0
        && ttl == 0) {
      return "range invalidation with NUM = SCALE = TTL = 0 is reserved";
    }
    return null;
  }
}
