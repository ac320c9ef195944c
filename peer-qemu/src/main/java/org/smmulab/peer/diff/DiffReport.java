package org.smmulab.peer.diff;

import java.util.List;

/**
 * The result of a differential run.
 *
 * @param source where the operations came from ("seed 1, 500 operations")
 * @param notes how the operations were made, for the report (for a scenario: which edu device
 *     stands for which scenario device, which steps the peer does not run)
 * @param steps operations run on both peers
 * @param agreements steps where the peers showed exactly the same
 * @param dmas DMA steps among them
 * @param faultingDmas DMA steps that recorded a fault (on the model)
 * @param commands commands the driver issued to the model's SMMU (QEMU's count is compared step by
 *     step)
 * @param differences every difference, setup (step 0) first, in step order
 * @param seconds wall-clock time of the comparison (starting the machines excluded)
 */
public record DiffReport(
    String source,
    List<String> notes,
    int steps,
    int agreements,
    int dmas,
    int faultingDmas,
    long commands,
    List<Difference> differences,
    double seconds) {
  /** Copies the lists. */
  public DiffReport {
    notes = List.copyOf(notes);
    differences = List.copyOf(differences);
  }

  /** Differences nothing explains. */
  public long unexplained() {
    return differences.stream().filter(Difference::fails).count();
  }

  /** Differences that are labelled QEMU deviations or explained behaviour. */
  public long explained() {
    return differences.size() - unexplained();
  }

  /** Whether the peers agree: no unexplained difference. */
  public boolean agree() {
    return unexplained() == 0;
  }
}
