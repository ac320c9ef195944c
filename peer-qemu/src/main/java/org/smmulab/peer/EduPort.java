package org.smmulab.peer;

/**
 * One edu-style DMA engine: a PCIe function with a 4 KiB buffer that copies between its buffer and
 * I/O virtual addresses, through the SMMU, with the StreamID {@link #streamId()}. A transfer starts
 * and completes inside {@link #transfer}; its effect is seen in memory (a device-to-memory copy) or
 * in the buffer (seen by a later copy out), and a failed translation in the SMMU's event queue.
 *
 * <p>Semantics both peers share (they are QEMU's edu device and memory core): the copy moves in
 * IOVA order, and each piece of it within one 4 KiB IOVA page is translated on its own. A piece
 * whose translation fails moves nothing — for a memory-to-device copy that part of the buffer
 * becomes zeros, as QEMU's memory core reads zeros where nothing answers — and the copy goes on
 * with the next page.
 */
public interface EduPort {
  /** Size of the device buffer in bytes. */
  int BUFFER_BYTES = 4096;

  /**
   * One past the last buffer offset a transfer may reach: edu (QEMU 7.2) requires the end of a
   * transfer to lie strictly inside the buffer, so the buffer's last byte is never used. A range
   * outside it is a hardware error that ends QEMU.
   */
  int BUFFER_LIMIT = BUFFER_BYTES - 1;

  /** The device's name ("edu0", ...). */
  String name();

  /** The StreamID its DMA carries. */
  int streamId();

  /**
   * Copies {@code length} bytes between IOVA {@code iova} and the buffer at {@code bufferOffset},
   * and returns once the copy has finished.
   *
   * @param toMemory {@code true}: buffer to memory (a DMA write); {@code false}: memory to buffer
   * @throws IllegalArgumentException if {@code length} is not positive, the buffer range ends past
   *     {@link #BUFFER_LIMIT}, or the IOVA range reaches {@link PeerLayout#IOVA_LIMIT}
   */
  void transfer(boolean toMemory, long iova, int bufferOffset, int length);

  /**
   * Checks a transfer against the limits of {@link #transfer}.
   *
   * @throws IllegalArgumentException naming the device and the limit broken
   */
  static void requireValid(String device, long iova, int bufferOffset, int length) {
    if (bufferOffset < 0 || length < 1 || bufferOffset + length > BUFFER_LIMIT) {
      throw new IllegalArgumentException(
          String.format(
              "%s: buffer range [+0x%x, +0x%x) must be non-empty and end by +0x%x",
              device, bufferOffset, bufferOffset + length, BUFFER_LIMIT));
    }
    if (iova < 0 || iova + length > PeerLayout.IOVA_LIMIT) {
      throw new IllegalArgumentException(
          String.format(
              "%s: IOVA range [0x%x, +0x%x) is beyond edu's 28-bit DMA mask",
              device, iova, length));
    }
  }
}
