package org.smmulab.arch.regs;

import java.util.List;
import org.smmulab.arch.codec.Field;
import org.smmulab.arch.codec.Layout;
import org.smmulab.arch.codec.ValueNames;

/**
 * Fields of the queue registers: the 64-bit *_BASE registers of the command, event and PRI queues,
 * and their PROD/CONS index registers.
 *
 * <p>A PROD or CONS register holds a {@link QueuePointer} (index and wrap bit) in {@link
 * #WR}/{@link #RD} bits [19:0], of which a queue of {@code 2^LOG2SIZE} entries uses bits
 * [LOG2SIZE:0]; above that sit CMDQ_CONS.ERR and the event/PRI queue overflow flags.
 */
public final class QueueRegisters {
  /** Bit 62 of CMDQ_BASE: read-allocate hint. */
  public static final Field RA = Field.bit("RA", 0, 62);

  /** Bit 62 of EVTQ_BASE and PRIQ_BASE: write-allocate hint. */
  public static final Field WA = Field.bit("WA", 0, 62);

  /** Bits [51:5]: queue address, in place (the queue is aligned to its size, at least 32 bytes). */
  public static final Field ADDR = Field.address("ADDR", 0, 51, 5);

  /** Bits [4:0]: log2 of the number of entries, capped by the matching IDR1 field. */
  public static final Field LOG2SIZE = Field.of("LOG2SIZE", 0, 4, 0);

  /** CMDQ_BASE. */
  public static final Layout CMDQ_BASE_LAYOUT =
      new Layout("CMDQ_BASE", 1, List.of(LOG2SIZE, ADDR, RA));

  /** EVTQ_BASE. */
  public static final Layout EVTQ_BASE_LAYOUT =
      new Layout("EVTQ_BASE", 1, List.of(LOG2SIZE, ADDR, WA));

  /** PRIQ_BASE. */
  public static final Layout PRIQ_BASE_LAYOUT =
      new Layout("PRIQ_BASE", 1, List.of(LOG2SIZE, ADDR, WA));

  /** Bits [19:0] of a PROD register: the producer's wrap bit and index. */
  public static final Field WR = Field.of("WR", 0, 19, 0);

  /** Bits [19:0] of a CONS register: the consumer's wrap bit and index. */
  public static final Field RD = Field.of("RD", 0, 19, 0);

  /** CMDQ_CONS.ERR encodings (CERROR): 0 none, 1 illegal command, 2 abort, 3 ATC sync timeout. */
  public static final ValueNames COMMAND_ERRORS =
      ValueNames.of(0, "none", 1, "ill", 2, "abt", 3, "atc-inv-sync");

  /** CERROR_NONE: no command error. */
  public static final int CERROR_NONE = 0;

  /** CERROR_ILL: unknown opcode or an illegal field in the command. */
  public static final int CERROR_ILL = 1;

  /** CERROR_ABT: an external abort while reading the command. */
  public static final int CERROR_ABT = 2;

  /** CERROR_ATC_INV_SYNC: a CMD_SYNC could not complete because an ATC invalidation timed out. */
  public static final int CERROR_ATC_INV_SYNC = 3;

  /** CMDQ_CONS bits [30:24]: the error of the command at CONS. */
  public static final Field ERR = Field.of("ERR", 0, 30, 24).withNames(COMMAND_ERRORS);

  /** EVTQ_PROD/PRIQ_PROD bit 31: toggled by the SMMU when a record is lost to a full queue. */
  public static final Field OVFLG = Field.bit("OVFLG", 0, 31);

  /** EVTQ_CONS/PRIQ_CONS bit 31: software copies OVFLG here to acknowledge the overflow. */
  public static final Field OVACKFLG = Field.bit("OVACKFLG", 0, 31);

  /** CMDQ_PROD. */
  public static final Layout CMDQ_PROD_LAYOUT = new Layout("CMDQ_PROD", 1, List.of(WR));

  /** CMDQ_CONS. */
  public static final Layout CMDQ_CONS_LAYOUT = new Layout("CMDQ_CONS", 1, List.of(RD, ERR));

  /** EVTQ_PROD. */
  public static final Layout EVTQ_PROD_LAYOUT = new Layout("EVTQ_PROD", 1, List.of(WR, OVFLG));

  /** EVTQ_CONS. */
  public static final Layout EVTQ_CONS_LAYOUT = new Layout("EVTQ_CONS", 1, List.of(RD, OVACKFLG));

  /** PRIQ_PROD. */
  public static final Layout PRIQ_PROD_LAYOUT = new Layout("PRIQ_PROD", 1, List.of(WR, OVFLG));

  /** PRIQ_CONS. */
  public static final Layout PRIQ_CONS_LAYOUT = new Layout("PRIQ_CONS", 1, List.of(RD, OVACKFLG));

  /** Command queue entry size in bytes. */
  public static final int COMMAND_BYTES = 16;

  /** Event record size in bytes. */
  public static final int EVENT_BYTES = 32;

  /** PRI queue entry size in bytes. */
  public static final int PRI_BYTES = 16;

  private QueueRegisters() {}
}
