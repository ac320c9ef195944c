package org.smmulab.driver.alloc;

/**
 * A consistent snapshot of a {@link PageAllocator}'s accounting, all sizes in bytes.
 *
 * @param totalBytes bytes the allocator manages (the sum of its RAM ranges)
 * @param bytesInUse bytes in blocks handed out and not yet freed
 * @param allocationsOutstanding number of blocks handed out and not yet freed (0 when nothing
 *     leaked)
 * @param largestFreeBlock the largest block a request could get right now
 */
public record AllocatorStats(
    long totalBytes, long bytesInUse, long allocationsOutstanding, long largestFreeBlock) {
  /** Bytes not in use. */
  public long freeBytes() {
    return totalBytes - bytesInUse;
  }
}
