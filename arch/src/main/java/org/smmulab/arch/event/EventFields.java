package org.smmulab.arch.event;

import org.smmulab.arch.codec.Field;
import org.smmulab.arch.codec.ValueNames;

/**
 * The fields of an event record by position. Qwords 0 to 2 have one format for every event; what
 * qword 3 holds depends on the event type (see {@link EventType.Q3}). The event ID field itself is
 * {@link EventType#FIELD}.
 */
public final class EventFields {
  private EventFields() {}

  /** SubstreamID valid, q0[11]. */
  public static final Field SSV = Field.bit("SSV", 0, 11);

  /** SubstreamID, q0[31:12]. */
  public static final Field SSID = Field.of("SSID", 0, 31, 12);

  /** StreamID, q0[63:32]. */
  public static final Field SID = Field.of("SID", 0, 63, 32);

  /** Stall tag to echo in RESUME, q1[15:0]. */
  public static final Field STAG = Field.of("STAG", 1, 15, 0);

  /** The faulting transaction is stalled, q1[31]. */
  public static final Field STALL = Field.bit("Stall", 1, 31);

  /** Privileged (1) or unprivileged (0) transaction, q1[33]. */
  public static final Field PNU = Field.bit("PnU", 1, 33);

  /** Instruction (1) or data (0) transaction, q1[34]. */
  public static final Field IND = Field.bit("InD", 1, 34);

  /** Read (1) or write (0) transaction, q1[35]. */
  public static final Field RNW = Field.bit("RnW", 1, 35);

  /** The fault arose in stage 2, q1[39]. */
  public static final Field S2 = Field.bit("S2", 1, 39);

  /** What was being accessed when a stage-2 fault arose, q1[41:40]. */
  public static final Field CLASS =
      Field.of("CLASS", 1, 41, 40).withNames(ValueNames.of(0, "CD", 1, "TT", 2, "IN"));

  /** The table access that faulted was a read, q1[44]. */
  public static final Field TT_READ = Field.bit("TT-read", 1, 44);

  /** The input address of the transaction, q2[63:0]. */
  public static final Field INPUT_ADDR = Field.address("InputAddr", 2, 63, 0);

  /** The IPA of a translation fault, q3[51:12] in place. */
  public static final Field IPA = Field.address("IPA", 3, 51, 12);

  /** The physical address of an aborted fetch, q3[51:3] in place. */
  public static final Field FETCH_ADDR = Field.address("FetchAddr", 3, 51, 3);
}
