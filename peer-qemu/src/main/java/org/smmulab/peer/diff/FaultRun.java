package org.smmulab.peer.diff;

import java.util.ArrayList;
import java.util.List;
import org.smmulab.arch.event.EventRecord;

/**
 * Consecutive event records of one fault: same event type, StreamID and direction, at input
 * addresses in one 4 KiB page that rise by at most 4 bytes each. The hardware model records one
 * event per faulting DMA piece (one 4 KiB page of the copy); QEMU's memory core retries the rest of
 * a failed piece 4 bytes at a time and each retry records another event, so one fault is a run of
 * records there.
 *
 * @param type the event type's value
 * @param typeName the event type's name
 * @param streamId the StreamID
 * @param read the RnW bit
 * @param first the input address of the first record
 * @param last the input address of the last record
 * @param count how many records
 */
public record FaultRun(
    int type, String typeName, int streamId, boolean read, long first, long last, int count) {
  private static final int RETRY_STEP = 4;

  /** Groups {@code events} (in queue order) into runs. */
  public static List<FaultRun> collapse(List<EventRecord> events) {
    List<FaultRun> runs = new ArrayList<>();
    FaultRun open = null;
    for (EventRecord e : events) {
      long address = e.inputAddress();
      if (open != null
          && open.type == e.typeValue()
          && open.streamId == e.sid()
          && open.read == e.rnw()
          && address > open.last
          && address - open.last <= RETRY_STEP
          && address >>> 12 == open.first >>> 12) {
        open =
            new FaultRun(
                open.type,
                open.typeName,
                open.streamId,
                open.read,
                open.first,
                address,
                open.count + 1);
        runs.set(runs.size() - 1, open);
        continue;
      }
      open =
          new FaultRun(
              e.typeValue(),
              e.type() == null ? "0x" + Integer.toHexString(e.typeValue()) : e.type().name(),
              e.sid(),
              e.rnw(),
              address,
              address,
              1);
      runs.add(open);
    }
    return runs;
  }

  /** Whether {@code other} is the same fault (type, StreamID, direction, first address). */
  public boolean sameFault(FaultRun other) {
    return type == other.type
        && streamId == other.streamId
        && read == other.read
        && first == other.first;
  }

  @Override
  public String toString() {
    String base =
        String.format("%s SID 0x%x %s 0x%x", typeName, streamId, read ? "read" : "write", first);
    return count == 1 ? base : base + String.format(" (+%d records up to 0x%x)", count - 1, last);
  }
}
