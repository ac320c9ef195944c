package org.smmulab.driver.attach;

import java.util.Arrays;
import java.util.Objects;
import org.smmulab.driver.invs.SmmuId;

/**
 * A device behind one SMMU instance (Linux {@code struct arm_smmu_master}): its StreamIDs, sorted
 * ascending so that its ATS invalidations come out sorted, and what it can do.
 *
 * @param name the device's name, for reports
 * @param smmu the instance it sits behind
 * @param streamIds its StreamIDs, ascending and distinct
 * @param atsCapable whether it is a PCIe function with the ATS capability
 * @param ssidBits how many SubstreamID (PASID) bits it can issue; 0 for none
 * @param stallCapable whether it can be stalled on faults
 */
public record Master(
    String name,
    SmmuId smmu,
    int[] streamIds,
    boolean atsCapable,
    int ssidBits,
    boolean stallCapable) {

  /**
   * Sorts and copies the StreamIDs.
   *
   * @throws IllegalArgumentException if there are none, a StreamID repeats, or {@code ssidBits} is
   *     outside 0..20
   */
  public Master {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(smmu, "smmu");
    streamIds = streamIds.clone();
    Arrays.sort(streamIds);
    if (streamIds.length == 0) {
      throw new IllegalArgumentException("master " + name + " needs at least one StreamID");
    }
    for (int i = 1; i < streamIds.length; i++) {
      if (streamIds[i] == streamIds[i - 1]) {
        throw new IllegalArgumentException(
            "master " + name + " lists StreamID " + streamIds[i] + " twice");
      }
    }
    if (ssidBits < 0 || ssidBits > 20) {
      throw new IllegalArgumentException(
          "master " + name + ": SubstreamID bits must be 0..20, got " + ssidBits);
    }
  }

  /** A master with one StreamID, no ATS, no SubstreamIDs, no stalls. */
  public static Master simple(String name, SmmuId smmu, int streamId) {
    return new Master(name, smmu, new int[] {streamId}, false, 0, false);
  }

  /** The StreamIDs (a copy). */
  @Override
  public int[] streamIds() {
    return streamIds.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Master m
        && name.equals(m.name)
        && smmu.equals(m.smmu)
        && Arrays.equals(streamIds, m.streamIds)
        && atsCapable == m.atsCapable
        && ssidBits == m.ssidBits
        && stallCapable == m.stallCapable;
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, smmu, Arrays.hashCode(streamIds), atsCapable, ssidBits);
  }

  @Override
  public String toString() {
    return name + "@" + smmu + Arrays.toString(streamIds) + (atsCapable ? " ATS" : "");
  }
}
