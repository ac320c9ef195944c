/**
 * PCIe endpoints as the SMMU sees them: functions that issue DMA with their StreamIDs, optionally
 * with Address Translation Services and an address translation cache (ATC) that the SMMU's ATC_INV
 * commands invalidate.
 */
package org.smmulab.hw.pcie;
