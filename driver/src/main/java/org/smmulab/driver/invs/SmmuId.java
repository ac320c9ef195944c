package org.smmulab.driver.invs;

/**
 * Names one SMMU instance. The driver gives each probed instance a distinct value; the order of the
 * values is the first key of the invalidation sort order, so all entries of one instance are
 * adjacent in an {@link InvalidationArray} and their commands go out on that instance's queue in
 * one run. It stands in for the kernel's {@code struct arm_smmu_device} pointer, whose numeric
 * value gives the same kind of arbitrary but consistent total order.
 *
 * @param index the instance number, unique among live instances; any value, including negative
 */
public record SmmuId(int index) implements Comparable<SmmuId> {

  @Override
  public int compareTo(SmmuId other) {
    return Integer.compare(index, other.index);
  }

  @Override
  public String toString() {
    return "smmu" + index;
  }
}
