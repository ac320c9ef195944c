/**
 * LPAE (VMSAv8-64) I/O page tables, the kernel's {@code io-pgtable-arm}: stage-1 and stage-2
 * formats with the 4K, 16K and 64K granules, map and unmap with an invalidation gather, the
 * translation-control values the STE and CD need, and a walker for tests and tools.
 */
package org.smmulab.driver.pgtable;
