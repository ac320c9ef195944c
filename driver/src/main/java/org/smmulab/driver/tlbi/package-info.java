/**
 * Turning "these addresses changed" into SMMUv3 invalidation commands, the command-building half of
 * the driver's invalidation walk: the decision between a ranged invalidation and a whole-tag one
 * ({@link org.smmulab.driver.tlbi.TlbiRangeBuilder#sizeTooBig}), the TLBI range or per-page
 * commands for one ASID or VMID ({@link org.smmulab.driver.tlbi.TlbiRangeBuilder}), and the ATC
 * invalidation for one endpoint ({@link org.smmulab.driver.tlbi.AtcInvalidation}).
 *
 * <p>Everything here is stateless and immutable; no class touches memory or a queue.
 */
package org.smmulab.driver.tlbi;
