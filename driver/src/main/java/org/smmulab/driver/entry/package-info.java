/**
 * Hitless rewriting of 64-byte Stream Table Entries and Context Descriptors while the SMMU may be
 * reading them, in the style of the Linux arm-smmu-v3 driver.
 *
 * <p>{@link org.smmulab.driver.entry.UsedBits} says which bits the SMMU reads from an entry; {@link
 * org.smmulab.driver.entry.EntryWriter#plan} turns a (current, target) pair into an {@link
 * org.smmulab.driver.entry.EntryWritePlan}, an ordered list of qword stores and syncs, and {@link
 * org.smmulab.driver.entry.EntryWriter#apply} runs such a plan against an {@link
 * org.smmulab.driver.entry.EntryTarget} (memory plus configuration-cache invalidation).
 */
package org.smmulab.driver.entry;
