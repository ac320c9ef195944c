package org.smmulab.peer.model;

import java.util.Arrays;
import org.smmulab.hw.pcie.DmaRequest;
import org.smmulab.hw.pcie.DmaResult;
import org.smmulab.hw.pcie.Endpoint;
import org.smmulab.peer.EduPort;

/**
 * QEMU's edu device modelled on an {@link Endpoint}: a 4 KiB buffer and a copy engine between it
 * and I/O virtual addresses. A copy moves in pieces that never cross a 4 KiB IOVA boundary, one
 * endpoint DMA each; a piece that faults moves nothing (a memory-to-buffer piece leaves zeros in
 * its part of the buffer, as QEMU's memory core returns zeros for a failed read) and the copy goes
 * on with the next piece, as QEMU's does.
 *
 * <p>Not thread-safe (the buffer is plain state); the runner is single-threaded.
 */
public final class ModelEdu implements EduPort {
  private static final int PAGE = 4096;

  private final String name;
  private final Endpoint endpoint;
  private final int streamId;
  private final byte[] buffer = new byte[BUFFER_BYTES];

  /**
   * @param endpoint the endpoint whose first StreamID the copies carry
   */
  public ModelEdu(String name, Endpoint endpoint) {
    this.name = name;
    this.endpoint = endpoint;
    this.streamId = endpoint.streamIds()[0];
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int streamId() {
    return streamId;
  }

  /** A copy of the buffer. */
  public byte[] buffer() {
    return buffer.clone();
  }

  @Override
  public void transfer(boolean toMemory, long iova, int bufferOffset, int length) {
    EduPort.requireValid(name, iova, bufferOffset, length);
    int done = 0;
    while (done < length) {
      long at = iova + done;
      int chunk = (int) Math.min(length - done, PAGE - (at & (PAGE - 1)));
      int from = bufferOffset + done;
      DmaResult result =
          endpoint.dma(
              toMemory
                  ? DmaRequest.write(streamId, at, Arrays.copyOfRange(buffer, from, from + chunk))
                  : DmaRequest.read(streamId, at, chunk));
      if (result.faulted() && !toMemory) {
        Arrays.fill(buffer, from, from + chunk, (byte) 0);
      } else if (!toMemory) {
        System.arraycopy(result.data(), 0, buffer, from, chunk);
      }
      done += chunk;
    }
  }

  @Override
  public String toString() {
    return name + " SID 0x" + Integer.toHexString(streamId);
  }
}
