/**
 * Turning "these addresses changed" into SMMUv3 invalidation commands, the command-building half of
 * the driver's invalidation walk: the decision between a ranged invalidation and a whole-tag one
 * ({@link org.smmulab.driver.tlbi.TlbiRangeBuilder#sizeTooBig}), the TLBI range or per-page
 * commands for one ASID or VMID ({@link org.smmulab.driver.tlbi.TlbiRangeBuilder}, or a reusable
 * {@link org.smmulab.driver.tlbi.TlbiRangePlan} stamped with each tag), the whole-tag command
 * ({@link org.smmulab.driver.tlbi.TagInvalidation}), and the ATC invalidation for one endpoint
 * ({@link org.smmulab.driver.tlbi.AtcInvalidation}).
 *
 * <p>Commands are encoded straight into their two qwords from the field positions of {@code
 * org.smmulab.arch.cmd.CommandFields}. Everything is stateless and immutable except {@link
 * org.smmulab.driver.tlbi.TlbiRangePlan}, a buffer owned by one thread; no class touches memory or
 * a queue.
 */
package org.smmulab.driver.tlbi;
