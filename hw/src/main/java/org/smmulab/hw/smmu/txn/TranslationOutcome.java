package org.smmulab.hw.smmu.txn;

import org.smmulab.arch.event.EventRecord;

/**
 * What an SMMU did with one {@link Transaction}.
 *
 * @param status translated, bypassed, or terminated
 * @param outputAddress the physical address the access goes to (translated or bypassed)
 * @param event the event recorded for a terminated transaction, or {@code null} when the fault was
 *     not recorded (CD.R / STE.S2R clear, or an abort STE, which records nothing)
 * @param source which part of the SMMU produced the answer, for tracing and for the oracle's
 *     reports
 * @param reason why a transaction was terminated, in a few words for traces ({@code null} when it
 *     was not)
 */
public record TranslationOutcome(
    Status status, long outputAddress, EventRecord event, Source source, String reason) {

  /** The fate of a transaction. */
  public enum Status {
    /** Translated; the access proceeds to {@code outputAddress}. */
    TRANSLATED,
    /** Passed through untranslated (STE bypass, SMMUEN = 0 with GBPA bypass, S1DSS bypass). */
    BYPASSED,
    /** Terminated with an abort; {@code event} says why if it was recorded. */
    TERMINATED
  }

  /** Which part of the SMMU decided the outcome. */
  public enum Source {
    /** Global bypass or abort while the SMMU is disabled. */
    GLOBAL,
    /** The stream's configuration (STE/CD) alone: bypass, abort, or a configuration error. */
    CONFIG,
    /** A TLB hit. */
    TLB,
    /** A table walk (possibly starting from a walk-cache entry). */
    WALK
  }

  /** A translated access. */
  public static TranslationOutcome translated(long pa, Source source) {
    return new TranslationOutcome(Status.TRANSLATED, pa, null, source, null);
  }

  /** A bypassed access. */
  public static TranslationOutcome bypassed(long pa, Source source) {
    return new TranslationOutcome(Status.BYPASSED, pa, null, source, null);
  }

  /** A terminated access, with its event or {@code null} if none is recorded. */
  public static TranslationOutcome terminated(EventRecord event, Source source) {
    return terminated(event, source, null);
  }

  /** A terminated access, with its event (or {@code null}) and the reason, for traces. */
  public static TranslationOutcome terminated(EventRecord event, Source source, String reason) {
    return new TranslationOutcome(Status.TERMINATED, 0, event, source, reason);
  }

  /** Whether the access reaches memory. */
  public boolean succeeded() {
    return status != Status.TERMINATED;
  }
}
