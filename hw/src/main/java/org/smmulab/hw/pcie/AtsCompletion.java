package org.smmulab.hw.pcie;

import org.smmulab.arch.event.EventRecord;
import org.smmulab.hw.smmu.txn.Permissions;

/**
 * The SMMU's answer to an ATS translation request: either a translation the endpoint may cache, or
 * an unsuccessful completion.
 *
 * @param entry the translation, or {@code null} when the request was not successful
 * @param event the event the SMMU recorded for a failed request (for example F_BAD_ATS_TREQ or a
 *     translation fault), or {@code null}
 */
public record AtsCompletion(AtcEntry entry, EventRecord event) {

  /** A successful completion. */
  public static AtsCompletion success(AtcEntry entry) {
    return new AtsCompletion(entry, null);
  }

  /** An unsuccessful completion, with the event recorded for it or {@code null}. */
  public static AtsCompletion failure(EventRecord event) {
    return new AtsCompletion(null, event);
  }

  /** Whether the request was translated. */
  public boolean succeeded() {
    return entry != null;
  }

  /** The permissions granted, {@link Permissions#NONE} for an unsuccessful completion. */
  public Permissions permissions() {
    return entry == null ? Permissions.NONE : entry.permissions();
  }
}
