/**
 * The driver's allocator for memory the SMMU reads: page-table pages, queues, stream and context
 * descriptor tables. It hands out naturally aligned, zeroed power-of-two blocks from the RAM ranges
 * the driver was given, and keeps the accounting that leak checks rely on.
 */
package org.smmulab.driver.alloc;
