package org.smmulab.hw.smmu.walk;

import org.smmulab.hw.smmu.txn.TranslationFault;

/**
 * Turns the address of a descriptor, as the tables name it, into the physical address to read: the
 * identity for stage 2 and for stage 1 without stage 2, a stage-2 translation (CLASS = TT) for a
 * nested stage 1, whose table addresses are IPAs.
 */
@FunctionalInterface
interface TableAddressTranslator {
  /** Tables already hold physical addresses. */
  TableAddressTranslator IDENTITY = address -> address;

  /** The physical address of the descriptor at {@code address}. */
  long toPhysical(long address) throws TranslationFault;
}
