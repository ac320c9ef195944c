package org.smmulab.verify.scenario;

import java.util.Map;
import java.util.Set;
import org.smmulab.driver.inject.Injection;
import org.smmulab.driver.tags.AsidSpace;

/**
 * Driver-wide choices of a scenario.
 *
 * @param asidSpace per-instance ASIDs (the design, the default) or one global space
 * @param injections driver bugs to inject (empty for the correct driver)
 * @param injectedAt where each injection is named in the file, for messages about it (empty for
 *     choices not read from a file)
 */
public record DriverSpec(
    AsidSpace asidSpace, Set<Injection> injections, Map<Injection, Position> injectedAt) {
  /** The correct driver with per-instance ASIDs. */
  public static final DriverSpec DEFAULT = new DriverSpec(AsidSpace.PER_INSTANCE, Set.of());

  /** Choices without positions. */
  public DriverSpec(AsidSpace asidSpace, Set<Injection> injections) {
    this(asidSpace, injections, Map.of());
  }

  /** Copies the injections and their positions. */
  public DriverSpec {
    injections = Set.copyOf(injections);
    injectedAt = Map.copyOf(injectedAt);
  }
}
