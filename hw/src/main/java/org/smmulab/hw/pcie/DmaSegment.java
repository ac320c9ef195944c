package org.smmulab.hw.pcie;

/**
 * The part of a DMA that one translation served: {@code length} bytes from {@code iova} went to
 * {@code pa}.
 *
 * @param iova the segment's first I/O virtual address
 * @param pa the physical address it reached
 * @param length bytes in the segment (within one 4 KiB page of the IOVA)
 * @param source what produced the translation
 */
public record DmaSegment(long iova, long pa, int length, Source source) {

  /** What produced a segment's physical address. */
  public enum Source {
    /** The endpoint's ATC (a translated access). */
    ATC,
    /** A fresh ATS translation request (then a translated access). */
    ATS_REQUEST,
    /** The SMMU's TLB. */
    TLB,
    /** An SMMU table walk. */
    WALK,
    /** No translation: STE bypass, or the SMMU disabled with GBPA bypass. */
    BYPASS
  }
}
