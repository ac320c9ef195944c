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

import java.util.EnumSet;
import java.util.OptionalInt;
import java.util.Set;
import org.smmulab.arch.codec.Field;
import org.smmulab.arch.codec.QwordImage;

/**
 * One event queue record (32 bytes, four qwords). Its layout follows from the event ID, so {@link
 * #describe()} names qword 3 as IPA or FetchAddr as the event type defines it; any bit pattern
 * decodes, reserved IDs included.
 *
 * <p>The factories take the substream as an {@link OptionalInt}: present sets SSV and SSID, empty
 * leaves both zero. They truncate values to their fields as the hardware does, and reject (with
 * {@link IllegalArgumentException}) an event type that does not have the record format the factory
 * writes, which is a programming error. Records are immutable and safe to share between threads.
 */
public final class EventRecord extends QwordImage {
  /** CLASS: the fault arose fetching a CD. */
  public static final int CLASS_CD = 0;

  /** CLASS: the fault arose fetching a stage-1 translation table descriptor. */
  public static final int CLASS_TT = 1;

  /** CLASS: the fault arose translating the transaction's input address. */
  public static final int CLASS_IN = 2;

  private static final Set<EventType> CONFIG_FORMAT =
      EnumSet.of(
          EventType.C_BAD_STREAMID,
          EventType.C_BAD_STE,
          EventType.F_STREAM_DISABLED,
          EventType.C_BAD_SUBSTREAMID,
          EventType.C_BAD_CD,
          EventType.F_CFG_CONFLICT);

  private static final Set<EventType> TRANSACTION_FORMAT =
      EnumSet.of(EventType.F_UUT, EventType.F_BAD_ATS_TREQ, EventType.F_TRANSL_FORBIDDEN);

  private static final Set<EventType> TRANSLATION_FORMAT =
      EnumSet.range(EventType.F_TRANSLATION, EventType.F_PERMISSION);

  private static final Set<EventType> FETCH_FORMAT =
      EnumSet.of(EventType.F_STE_FETCH, EventType.F_CD_FETCH, EventType.F_VMS_FETCH);

  private EventRecord(long[] qwords) {
    super(EventType.layoutOf(qwords.length > 0 ? qwords[0] : 0), qwords);
  }

  /** Decodes a record; every bit pattern is accepted. */
  public static EventRecord decode(long q0, long q1, long q2, long q3) {
    return new EventRecord(new long[] {q0, q1, q2, q3});
  }

  /** Decodes a record from its four qwords (copied). */
  public static EventRecord decode(long[] qwords) {
    return new EventRecord(qwords);
  }

  /** A builder for {@code type} with the ID set and every other bit zero (truncating). */
  public static Builder<EventRecord> builder(EventType type) {
    return new Builder<>(type.layout(), EventRecord::new).set(EventType.FIELD, type.value());
  }

  /**
   * A configuration error or another event that carries only the stream: C_BAD_STREAMID, C_BAD_STE,
   * F_STREAM_DISABLED, C_BAD_SUBSTREAMID, C_BAD_CD or F_CFG_CONFLICT.
   */
  public static EventRecord configError(EventType type, int sid, OptionalInt ssid) {
    requireFormat(type, CONFIG_FORMAT, "configError");
    return new EventRecord(stream(type, sid, ssid));
  }

  /**
   * A fault on the transaction itself, before translation: F_UUT, F_BAD_ATS_TREQ or
   * F_TRANSL_FORBIDDEN.
   *
   * @param rnw read (true) or write
   * @param pnu privileged (true) or unprivileged
   * @param ind instruction (true) or data
   */
  public static EventRecord transactionFault(
      EventType type,
      int sid,
      OptionalInt ssid,
      long inputAddr,
      boolean rnw,
      boolean pnu,
      boolean ind) {
    requireFormat(type, TRANSACTION_FORMAT, "transactionFault");
    return new EventRecord(access(stream(type, sid, ssid), inputAddr, rnw, pnu, ind));
  }

  /**
   * A translation fault with its IPA in qword 3: F_TRANSLATION, F_ADDR_SIZE, F_ACCESS or
   * F_PERMISSION.
   *
   * @param s2 the fault arose in stage 2
   * @param eventClass {@link #CLASS_CD}, {@link #CLASS_TT} or {@link #CLASS_IN}
   * @param ipa the intermediate physical address (bits [51:12] recorded)
   */
  public static EventRecord translationFault(
      EventType type,
      int sid,
      OptionalInt ssid,
      long inputAddr,
      boolean rnw,
      boolean pnu,
      boolean ind,
      boolean s2,
      int eventClass,
      long ipa) {
    requireFormat(type, TRANSLATION_FORMAT, "translationFault");
    long[] q = access(stream(type, sid, ssid), inputAddr, rnw, pnu, ind);
    S2.set(q, s2 ? 1 : 0);
    CLASS.set(q, eventClass);
    IPA.set(q, ipa);
    return new EventRecord(q);
  }

  /**
   * F_WALK_EABT: an external abort fetching a translation table descriptor at {@code fetchAddr}.
   *
   * @param eventClass {@link #CLASS_CD}, {@link #CLASS_TT} or {@link #CLASS_IN}
   * @param fetchAddr physical address of the descriptor (bits [51:3] recorded)
   */
  public static EventRecord walkAbort(
      int sid,
      OptionalInt ssid,
      long inputAddr,
      boolean rnw,
      boolean pnu,
      boolean ind,
      boolean s2,
      int eventClass,
      long fetchAddr) {
    long[] q = access(stream(EventType.F_WALK_EABT, sid, ssid), inputAddr, rnw, pnu, ind);
    S2.set(q, s2 ? 1 : 0);
    CLASS.set(q, eventClass);
    FETCH_ADDR.set(q, fetchAddr);
    return new EventRecord(q);
  }

  /**
   * An external abort fetching configuration: F_STE_FETCH, F_CD_FETCH or F_VMS_FETCH.
   *
   * @param fetchAddr physical address of the aborted read (bits [51:3] recorded)
   */
  public static EventRecord fetchAbort(EventType type, int sid, OptionalInt ssid, long fetchAddr) {
    requireFormat(type, FETCH_FORMAT, "fetchAbort");
    long[] q = stream(type, sid, ssid);
    FETCH_ADDR.set(q, fetchAddr);
    return new EventRecord(q);
  }

  /** This record with Stall = 1 and {@code stag}, as recorded for a stalled transaction. */
  public EventRecord withStall(int stag) {
    return new Builder<>(layout(), EventRecord::new, toQwords())
        .set(STALL, true)
        .set(STAG, stag)
        .build();
  }

  private static void requireFormat(EventType type, Set<EventType> allowed, String factory) {
    if (!allowed.contains(type)) {
      throw new IllegalArgumentException(
          factory + " cannot record " + type + "; it records " + allowed);
    }
  }

  /**
   * The qwords of a {@code type} record naming the stream, values truncated to their fields as the
   * builder does. The factories fill these words directly rather than through a {@link Builder}:
   * faults are recorded on the translation path, where a builder's copies show.
   */
  private static long[] stream(EventType type, int sid, OptionalInt ssid) {
    long[] q = new long[type.layout().qwords()];
    EventType.FIELD.set(q, type.value());
    SID.set(q, Integer.toUnsignedLong(sid));
    if (ssid.isPresent()) {
      SSV.set(q, 1);
      SSID.set(q, ssid.getAsInt());
    }
    return q;
  }

  /** Adds the access fields to {@code q} and returns it. */
  private static long[] access(long[] q, long inputAddr, boolean rnw, boolean pnu, boolean ind) {
    INPUT_ADDR.set(q, inputAddr);
    RNW.set(q, rnw ? 1 : 0);
    PNU.set(q, pnu ? 1 : 0);
    IND.set(q, ind ? 1 : 0);
    return q;
  }

  /** The architected event type, or {@code null} if the ID is reserved. */
  public EventType type() {
    return EventType.fromValue(typeValue());
  }

  /** The raw event ID. */
  public int typeValue() {
    return (int) get(EventType.FIELD);
  }

  /** Whether the event ID is architected. */
  public boolean isArchitected() {
    return type() != null;
  }

  /** SSV: the SSID is valid. */
  public boolean ssv() {
    return get(SSV) != 0;
  }

  /** The SubstreamID (meaningful when {@link #ssv()}). */
  public int ssid() {
    return (int) get(SSID);
  }

  /** The SubstreamID if SSV is set, else empty. */
  public OptionalInt substream() {
    return ssv() ? OptionalInt.of(ssid()) : OptionalInt.empty();
  }

  /** The StreamID (32 bits, unsigned). */
  public int sid() {
    return (int) get(SID);
  }

  /** The stall tag. */
  public int stag() {
    return (int) get(STAG);
  }

  /** Whether the transaction is stalled awaiting RESUME. */
  public boolean stall() {
    return get(STALL) != 0;
  }

  /** Privileged transaction. */
  public boolean pnu() {
    return get(PNU) != 0;
  }

  /** Instruction fetch. */
  public boolean ind() {
    return get(IND) != 0;
  }

  /** Read transaction. */
  public boolean rnw() {
    return get(RNW) != 0;
  }

  /** The fault arose in stage 2. */
  public boolean s2() {
    return get(S2) != 0;
  }

  /** CLASS ({@link #CLASS_CD}, {@link #CLASS_TT}, {@link #CLASS_IN}; 3 is reserved). */
  public int eventClass() {
    return (int) get(CLASS);
  }

  /** The faulting table access was a read. */
  public boolean ttRead() {
    return get(TT_READ) != 0;
  }

  /** The transaction's input address. */
  public long inputAddress() {
    return get(INPUT_ADDR);
  }

  /**
   * The IPA of a translation fault (bits [51:12]).
   *
   * @throws IllegalStateException if this event type records no IPA
   */
  public long ipa() {
    return require(IPA);
  }

  /**
   * The address of an aborted fetch (bits [51:3]).
   *
   * @throws IllegalStateException if this event type records no fetch address
   */
  public long fetchAddress() {
    return require(FETCH_ADDR);
  }

  private long require(Field field) {
    if (!layout().contains(field)) {
      throw new IllegalStateException(layout().name() + " records no " + field.name());
    }
    return get(field);
  }

  /**
   * The event's name followed by its non-zero fields, ID excluded, and any set bit outside them as
   * {@code q<n>.reserved}: {@code "F_TRANSLATION SID=8 RnW=1 CLASS=IN InputAddr=0x1000
   * IPA=0x40000000"}.
   */
  @Override
  public String describe() {
    return layout().name() + layout().describeFields(toQwords(), EventType.FIELD);
  }
}
