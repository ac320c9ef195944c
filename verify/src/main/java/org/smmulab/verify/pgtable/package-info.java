/**
 * Independent inspection of translation tables in physical memory, used by invariant checks (no
 * leaked table pages, no malformed descriptors) and to cross-check the driver's io-pgtable.
 */
package org.smmulab.verify.pgtable;
