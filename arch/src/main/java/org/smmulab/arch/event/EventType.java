package org.smmulab.arch.event;

import static org.smmulab.arch.event.EventFields.CLASS;
import static org.smmulab.arch.event.EventFields.FETCH_ADDR;
import static org.smmulab.arch.event.EventFields.IND;
import static org.smmulab.arch.event.EventFields.INPUT_ADDR;
import static org.smmulab.arch.event.EventFields.IPA;
import static org.smmulab.arch.event.EventFields.PNU;
import static org.smmulab.arch.event.EventFields.RNW;
import static org.smmulab.arch.event.EventFields.S2;
import static org.smmulab.arch.event.EventFields.SID;
import static org.smmulab.arch.event.EventFields.SSID;
import static org.smmulab.arch.event.EventFields.SSV;
import static org.smmulab.arch.event.EventFields.STAG;
import static org.smmulab.arch.event.EventFields.STALL;
import static org.smmulab.arch.event.EventFields.TT_READ;

import java.util.ArrayList;
import java.util.List;
import org.smmulab.arch.codec.Field;
import org.smmulab.arch.codec.Layout;
import org.smmulab.arch.codec.ValueNames;

/**
 * The architected event IDs, each with the layout of its record. Qwords 0 to 2 are common; qword 3
 * holds an IPA for the translation faults (0x10 to 0x13), the fetch address for the fetch and walk
 * aborts (F_STE_FETCH, F_CD_FETCH, F_WALK_EABT, F_VMS_FETCH) and nothing architected otherwise, so
 * that its bits describe as reserved. Where the architecture is not at hand (F_TLB_CONFLICT,
 * E_PAGE_REQUEST) qword 3 is treated as reserved.
 */
public enum EventType {
  /** Unsupported upstream transaction type. */
  F_UUT(0x01, Q3.NONE),
  /** StreamID out of range or its level-1 descriptor invalid. */
  C_BAD_STREAMID(0x02, Q3.NONE),
  /** External abort reading an L1STD or STE. */
  F_STE_FETCH(0x03, Q3.FETCH_ADDR),
  /** STE invalid or with an illegal field combination. */
  C_BAD_STE(0x04, Q3.NONE),
  /** An ATS translation request that is not allowed. */
  F_BAD_ATS_TREQ(0x05, Q3.NONE),
  /** A transaction without SubstreamID on a stream that terminates such transactions. */
  F_STREAM_DISABLED(0x06, Q3.NONE),
  /** An ATS-translated transaction that is not permitted. */
  F_TRANSL_FORBIDDEN(0x07, Q3.NONE),
  /** SubstreamID out of range or not allowed. */
  C_BAD_SUBSTREAMID(0x08, Q3.NONE),
  /** External abort reading an L1CD or CD. */
  F_CD_FETCH(0x09, Q3.FETCH_ADDR),
  /** CD invalid or with an illegal field combination. */
  C_BAD_CD(0x0A, Q3.NONE),
  /** External abort fetching a translation table descriptor. */
  F_WALK_EABT(0x0B, Q3.FETCH_ADDR),
  /** Translation fault: invalid descriptor or input outside the translated range. */
  F_TRANSLATION(0x10, Q3.IPA),
  /** Address size fault. */
  F_ADDR_SIZE(0x11, Q3.IPA),
  /** Access flag fault. */
  F_ACCESS(0x12, Q3.IPA),
  /** Permission fault. */
  F_PERMISSION(0x13, Q3.IPA),
  /** Conflicting TLB entries. */
  F_TLB_CONFLICT(0x20, Q3.NONE),
  /** Conflicting cached configuration. */
  F_CFG_CONFLICT(0x21, Q3.NONE),
  /** Page request hint. */
  E_PAGE_REQUEST(0x24, Q3.NONE),
  /** External abort fetching a VMS. */
  F_VMS_FETCH(0x25, Q3.FETCH_ADDR);

  /** What qword 3 of a record holds. */
  public enum Q3 {
    /** Nothing architected: set bits describe as reserved. */
    NONE,
    /** {@link EventFields#IPA}. */
    IPA,
    /** {@link EventFields#FETCH_ADDR}. */
    FETCH_ADDR
  }

  /** EventID, q0[7:0]; named encodings are the event names as the architecture prints them. */
  public static final Field FIELD = Field.of("EventID", 0, 7, 0).withNames(names());

  private static final Layout[] LAYOUTS = new Layout[256];

  static {
    for (int v = 0; v < LAYOUTS.length; v++) {
      LAYOUTS[v] = new Layout(String.format("reserved(0x%02x)", v), 4, fields(Q3.NONE));
    }
    for (EventType t : values()) {
      LAYOUTS[t.value] = new Layout(t.name(), 4, fields(t.q3));
    }
  }

  private final int value;
  private final Q3 q3;

  EventType(int value, Q3 q3) {
    this.value = value;
    this.q3 = q3;
  }

  /** The event ID, 0..255. */
  public int value() {
    return value;
  }

  /** What qword 3 of this event's record holds. */
  public Q3 q3() {
    return q3;
  }

  /** The record layout of this event. */
  public Layout layout() {
    return LAYOUTS[value];
  }

  /** The event with ID {@code value}, or {@code null} if the ID is reserved. */
  public static EventType fromValue(long value) {
    for (EventType t : values()) {
      if (t.value == value) {
        return t;
      }
    }
    return null;
  }

  /**
   * The layout of a record whose ID byte is {@code value & 0xFF}: the event's layout, or for a
   * reserved ID one named {@code reserved(0x..)} with the common fields and nothing in qword 3.
   */
  public static Layout layoutOf(long value) {
    return LAYOUTS[(int) (value & 0xFF)];
  }

  private static List<Field> fields(Q3 q3) {
    List<Field> fields =
        new ArrayList<>(
            List.of(
                FIELD, SSV, SSID, SID, STAG, STALL, PNU, IND, RNW, S2, CLASS, TT_READ, INPUT_ADDR));
    if (q3 == Q3.IPA) {
      fields.add(IPA);
    } else if (q3 == Q3.FETCH_ADDR) {
      fields.add(FETCH_ADDR);
    }
    return fields;
  }

  private static ValueNames names() {
    Object[] pairs = new Object[values().length * 2];
    int i = 0;
    for (EventType t : values()) {
      pairs[i++] = t.value;
      pairs[i++] = t.name();
    }
    return ValueNames.of(pairs);
  }
}
