package org.smmulab.hw.pcie;

import org.smmulab.hw.smmu.txn.Transaction;
import org.smmulab.hw.smmu.txn.TranslationOutcome;

/**
 * What an endpoint reaches upstream: the SMMU in front of its root port. Implementations are
 * thread-safe; an endpoint may issue several DMAs at once.
 */
public interface UpstreamPort {
  /** An untranslated access: the SMMU translates it (or bypasses or terminates it). */
  TranslationOutcome translate(Transaction txn);

  /**
   * An ATS translation request for {@code txn}'s address, access kind and PASID. The SMMU answers
   * per STE.EATS; a refused request records its event.
   */
  AtsCompletion translationRequest(Transaction txn);

  /**
   * A translated access ({@code txn.address()} is an address the endpoint got from a translation
   * completion): the SMMU lets it through, translates it through stage 2 (EATS = S1CHK) or refuses
   * it (CR0.ATSCHK with EATS = 0: F_TRANSL_FORBIDDEN).
   */
  TranslationOutcome translatedAccess(Transaction txn);
}
