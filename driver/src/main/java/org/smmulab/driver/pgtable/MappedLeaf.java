package org.smmulab.driver.pgtable;

/**
 * One valid leaf descriptor of a page table.
 *
 * @param iova first input address the leaf maps (aligned to {@code size})
 * @param size bytes the leaf maps
 * @param level the table level holding the leaf (3 for pages)
 * @param descriptor the raw descriptor
 */
public record MappedLeaf(long iova, long size, int level, long descriptor) {}
