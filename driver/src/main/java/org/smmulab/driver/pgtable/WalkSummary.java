package org.smmulab.driver.pgtable;

/**
 * What a walk of a whole page table found.
 *
 * @param leaves valid leaf descriptors (pages and blocks)
 * @param tablePages table pages below the PGD
 */
public record WalkSummary(long leaves, long tablePages) {}
