/**
 * The per-domain invalidation array (Linux {@code struct arm_smmu_invs}): a sorted, copy-on-write
 * list of every TLB and ATC invalidation that a change to a domain's page table needs, across all
 * SMMU instances the domain is attached through. Writers ({@code merge}, {@code unref}, {@code
 * purge}) are serialised by the driver's tag lock; the invalidation walker reads the published
 * array without a lock, taking only the read side of the ATS fence when the array holds ATS
 * entries.
 */
package org.smmulab.driver.invs;
