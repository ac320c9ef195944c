package org.smmulab.hw.pcie;

import java.util.Objects;

/**
 * One DMA an endpoint issues: a read of {@code length} bytes or a write of {@code data}, at an I/O
 * virtual address, with the attributes the SMMU's permission checks use.
 *
 * @param streamId the StreamID the access carries (one of the endpoint's)
 * @param substreamValid whether it carries a SubstreamID (PASID)
 * @param substreamId the SubstreamID, meaningful only when {@code substreamValid}
 * @param iova the first byte's I/O virtual address
 * @param length bytes to move (at least 1)
 * @param write whether it writes {@code data} (else it reads)
 * @param privileged whether the access is privileged
 * @param instruction whether it is an instruction fetch
 * @param data the bytes to write ({@code length} of them), or {@code null} for a read
 */
public record DmaRequest(
    int streamId,
    boolean substreamValid,
    int substreamId,
    long iova,
    int length,
    boolean write,
    boolean privileged,
    boolean instruction,
    byte[] data) {

  /**
   * @throws IllegalArgumentException if the length is not positive, a write has no data of that
   *     length, or a read has data
   */
  public DmaRequest {
    if (length < 1) {
      throw new IllegalArgumentException("a DMA moves at least one byte, got length " + length);
    }
    if (write) {
      Objects.requireNonNull(data, "a write needs data");
      if (data.length != length) {
        throw new IllegalArgumentException(
            "write of " + length + " bytes given " + data.length + " bytes of data");
      }
    } else if (data != null) {
      throw new IllegalArgumentException("a read carries no data");
    }
  }

  /** An unprivileged data read without SubstreamID. */
  public static DmaRequest read(int streamId, long iova, int length) {
    return new DmaRequest(streamId, false, 0, iova, length, false, false, false, null);
  }

  /** An unprivileged data write without SubstreamID. */
  public static DmaRequest write(int streamId, long iova, byte[] data) {
    return new DmaRequest(streamId, false, 0, iova, data.length, true, false, false, data.clone());
  }

  /** The same DMA with a SubstreamID. */
  public DmaRequest withSubstream(int ssid) {
    return new DmaRequest(streamId, true, ssid, iova, length, write, privileged, instruction, data);
  }

  /** The same DMA as a privileged access. */
  public DmaRequest asPrivileged() {
    return new DmaRequest(
        streamId, substreamValid, substreamId, iova, length, write, true, instruction, data);
  }

  /** The same read as an instruction fetch. */
  public DmaRequest asInstruction() {
    return new DmaRequest(
        streamId, substreamValid, substreamId, iova, length, write, privileged, true, data);
  }
}
