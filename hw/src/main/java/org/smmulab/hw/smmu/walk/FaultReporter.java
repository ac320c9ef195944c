package org.smmulab.hw.smmu.walk;

import java.util.OptionalInt;
import org.smmulab.arch.event.EventRecord;
import org.smmulab.arch.event.EventType;
import org.smmulab.arch.pte.Stage;
import org.smmulab.hw.smmu.config.ResolvedStream;
import org.smmulab.hw.smmu.txn.Transaction;
import org.smmulab.hw.smmu.txn.TranslationFault;

/**
 * Builds the faults of one walk with every field of their event records filled from the transaction
 * (SID, SSV/SSID, InputAddr, RnW, PnU, InD) and applies the recording rules:
 *
 * <ul>
 *   <li>stage-1 F_TRANSLATION, F_ADDR_SIZE, F_ACCESS and F_PERMISSION are recorded only when CD.R
 *       is set, stage-2 ones only when STE.S2R is set; otherwise the fault carries no event;
 *   <li>F_WALK_EABT (an external abort on a descriptor fetch) is always recorded, as QEMU's model
 *       does: the record-fault controls cover only the four translation-related faults.
 * </ul>
 *
 * <p>Stall (CD.S, STE.S2S) is left to the caller, which owns the stall tags.
 */
final class FaultReporter {
  /** What every fault of a quiet walk is: nothing to record, nothing to say. */
  static final TranslationFault PREFETCH_FAULT =
      new TranslationFault(null, "a prefetch found no translation");

  private final ResolvedStream stream;
  private final Transaction txn;
  private final boolean quiet;
  private TranslationFault denial;

  FaultReporter(ResolvedStream stream, Transaction txn) {
    this(stream, txn, false);
  }

  /**
   * @param quiet whether the walk is a prefetch, whose faults are dropped unrecorded: they are all
   *     {@link #PREFETCH_FAULT}, so that no event record or message is built for them
   */
  FaultReporter(ResolvedStream stream, Transaction txn, boolean quiet) {
    this.stream = stream;
    this.txn = txn;
    this.quiet = quiet;
  }

  /**
   * A translation, address size, access or permission fault.
   *
   * @param stage the stage that faulted (sets S2 and decides the recording rule)
   * @param type F_TRANSLATION, F_ADDR_SIZE, F_ACCESS or F_PERMISSION
   * @param eventClass CLASS (CD, TT or IN)
   * @param ipa the IPA being translated for a stage-2 fault; ignored (recorded as 0) for stage 1
   * @param reason a short reason for traces
   */
  TranslationFault fault(Stage stage, EventType type, int eventClass, long ipa, String reason) {
    return fault(stage, type, eventClass, ipa, reason, -1);
  }

  /**
   * {@link #fault(Stage, EventType, int, long, String)} found at descriptor level {@code level}
   * (-1: at no particular level), which the reason names; a quiet reporter builds no text at all.
   */
  TranslationFault fault(
      Stage stage, EventType type, int eventClass, long ipa, String reason, int level) {
    if (quiet) {
      return PREFETCH_FAULT;
    }
    boolean s2 = stage == Stage.STAGE_2;
    boolean recorded = s2 ? stream.ste().s2Record() : stream.cd() != null && stream.cd().record();
    EventRecord event =
        recorded
            ? EventRecord.translationFault(
                type,
                txn.streamId(),
                substream(),
                txn.address(),
                !txn.write(),
                txn.privileged(),
                txn.instruction(),
                s2,
                eventClass,
                s2 ? ipa : 0)
            : null;
    String where = level >= 0 ? reason + " at level " + level : reason;
    return new TranslationFault(event, (s2 ? "stage 2: " : "stage 1: ") + where);
  }

  /**
   * A permission fault of the access the transaction makes; a quiet reporter builds no text.
   *
   * @param ipa the IPA for a stage-2 fault (ignored for stage 1)
   */
  TranslationFault permission(Stage stage, int eventClass, long ipa) {
    if (quiet) {
      return PREFETCH_FAULT;
    }
    String access = txn.instruction() ? "instruction fetch" : txn.write() ? "write" : "read";
    String privilege = txn.privileged() ? "privileged" : "unprivileged";
    return fault(
        stage, EventType.F_PERMISSION, eventClass, ipa, privilege + " " + access + " denied");
  }

  /**
   * Keeps {@code fault} as the walk's fault, to be thrown (or turned into a result) by the walk's
   * caller: used for the frequent faults, an invalid descriptor and a denied permission.
   *
   * @return {@code null}, the walk's result for a faulted access
   */
  WalkResult deny(TranslationFault fault) {
    denial = fault;
    return null;
  }

  /** The fault kept by {@link #deny}, or {@code null} if the walk was not denied. */
  TranslationFault denial() {
    return denial;
  }

  /** An external abort reading the descriptor at {@code fetchAddress}; always recorded. */
  TranslationFault walkAbort(Stage stage, int eventClass, long fetchAddress, String reason) {
    if (quiet) {
      return PREFETCH_FAULT;
    }
    EventRecord event =
        EventRecord.walkAbort(
            txn.streamId(),
            substream(),
            txn.address(),
            !txn.write(),
            txn.privileged(),
            txn.instruction(),
            stage == Stage.STAGE_2,
            eventClass,
            fetchAddress);
    return new TranslationFault(event, reason);
  }

  private OptionalInt substream() {
    return txn.substreamValid() ? OptionalInt.of(txn.substreamId()) : OptionalInt.empty();
  }
}
