/** Transactions that endpoints send through an SMMU, and what became of them. */
package org.smmulab.hw.smmu.txn;
