package org.smmulab.hw.smmu.regs;

import org.smmulab.arch.regs.QueueRegisters;

/** Why the command queue stopped: the CMDQ_CONS.ERR values. */
public enum CommandError {
  /** No error. */
  NONE(QueueRegisters.CERROR_NONE),
  /** Unknown opcode or illegal field (CERROR_ILL). */
  ILL(QueueRegisters.CERROR_ILL),
  /** External abort reading the command (CERROR_ABT). */
  ABT(QueueRegisters.CERROR_ABT),
  /** A CMD_SYNC could not complete because an ATC invalidation failed (CERROR_ATC_INV_SYNC). */
  ATC_INV_SYNC(QueueRegisters.CERROR_ATC_INV_SYNC);

  private final int encoding;

  CommandError(int encoding) {
    this.encoding = encoding;
  }

  /** The CMDQ_CONS.ERR encoding. */
  public int encoding() {
    return encoding;
  }
}
