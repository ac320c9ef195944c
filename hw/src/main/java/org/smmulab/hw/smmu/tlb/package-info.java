/**
 * The translation caches of an SMMU instance: the TLB of leaf translations and the walk cache of
 * intermediate table entries, with the tags and invalidation scopes of the architecture.
 */
package org.smmulab.hw.smmu.tlb;
