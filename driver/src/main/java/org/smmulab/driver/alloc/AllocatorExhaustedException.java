package org.smmulab.driver.alloc;

/**
 * The allocator has no free block large enough for a request. This is a condition callers must
 * handle (the kernel's {@code -ENOMEM}), so it is checked; the message says how much was asked for
 * and what is left.
 */
public final class AllocatorExhaustedException extends Exception {
  private static final long serialVersionUID = 1L;

  private final long requestedBytes;
  private final long freeBytes;
  private final long largestFreeBlock;

  /**
   * @param requestedBytes size of the failed request in bytes
   * @param freeBytes bytes still free in total at the time of the request
   * @param largestFreeBlock the largest free block in bytes (0 if none)
   */
  public AllocatorExhaustedException(long requestedBytes, long freeBytes, long largestFreeBlock) {
    super(
        String.format(
            "out of driver memory: asked for %d bytes, %d bytes free, largest free block %d bytes",
            requestedBytes, freeBytes, largestFreeBlock));
    this.requestedBytes = requestedBytes;
    this.freeBytes = freeBytes;
    this.largestFreeBlock = largestFreeBlock;
  }

  /** Size of the failed request in bytes. */
  public long requestedBytes() {
    return requestedBytes;
  }

  /** Bytes free in total when the request failed. */
  public long freeBytes() {
    return freeBytes;
  }

  /** The largest free block, in bytes, when the request failed. */
  public long largestFreeBlock() {
    return largestFreeBlock;
  }
}
