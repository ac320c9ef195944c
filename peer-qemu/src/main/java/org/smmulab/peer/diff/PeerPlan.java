package org.smmulab.peer.diff;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything a differential run does, the same on both peers: the stage-1 domains the driver makes
 * (operations name them by index), the data region DMAs use, and the operations.
 *
 * @param source where the operations came from, for the report ("seed 1, 500 operations")
 * @param domains the domains, in index order
 * @param region the memory DMAs reach and how it is measured
 * @param steps the operations, in order
 * @param notes what the report should say about how the operations were made (may be empty)
 */
public record PeerPlan(
    String source,
    List<DomainShape> domains,
    DataRegion region,
    List<PeerStep> steps,
    List<String> notes) {
  /** Copies the lists. */
  public PeerPlan {
    domains = List.copyOf(domains);
    steps = List.copyOf(steps);
    notes = List.copyOf(notes);
  }

  /**
   * A plan for operations over {@link DifferentialRunner#DOMAINS} default domains ({@link
   * DomainShape#widest}, named {@code d0}, {@code d1}, ...) and the seeded data region.
   */
  public static PeerPlan seeded(String source, List<PeerOp> ops) {
    List<PeerStep> steps = new ArrayList<>(ops.size());
    for (PeerOp op : ops) {
      steps.add(PeerStep.of(op));
    }
    return new PeerPlan(
        source,
        defaultDomains(DifferentialRunner.DOMAINS),
        SeededRegion.INSTANCE,
        steps,
        List.of());
  }

  /** {@code count} default domains named {@code d0}, {@code d1}, ... */
  public static List<DomainShape> defaultDomains(int count) {
    List<DomainShape> out = new ArrayList<>(count);
    for (int d = 0; d < count; d++) {
      out.add(DomainShape.widest("d" + d));
    }
    return out;
  }
}
