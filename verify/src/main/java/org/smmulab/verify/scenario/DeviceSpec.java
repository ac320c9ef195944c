package org.smmulab.verify.scenario;

import java.util.List;

/**
 * One device (PCIe function) of a scenario.
 *
 * @param at where it is declared
 * @param name its name, unique among devices
 * @param instance the instance it sits behind
 * @param streamIds its StreamIDs, the first one used by its DMAs
 * @param ats whether it has the ATS capability (an ATC)
 * @param atcEntries the capacity of its ATC when it has ATS
 * @param ssidBits the SubstreamID (PASID) width it supports, 0 for none
 */
public record DeviceSpec(
    Position at,
    String name,
    String instance,
    List<Integer> streamIds,
    boolean ats,
    int atcEntries,
    int ssidBits) {

  /** Copies the StreamIDs. */
  public DeviceSpec {
    streamIds = List.copyOf(streamIds);
  }

  /** The StreamID its DMAs carry. */
  public int streamId() {
    return streamIds.get(0);
  }
}
