package org.smmulab.hw.smmu.config;

import org.smmulab.hw.smmu.txn.Transaction;
import org.smmulab.hw.smmu.txn.TranslationFault;

/**
 * Translates an IPA the configuration stage must read through stage 2 (CD tables of a nested
 * stream): the walker's {@code toPhysical} with CLASS = CD.
 */
@FunctionalInterface
public interface IpaTranslator {
  /**
   * The physical address of {@code ipa} for {@code stream}, whose stage 2 translates.
   *
   * @throws TranslationFault a stage-2 fault, reported with S2 = 1 and CLASS = CD
   */
  long toPhysical(ResolvedStream stream, Transaction txn, long ipa) throws TranslationFault;
}
