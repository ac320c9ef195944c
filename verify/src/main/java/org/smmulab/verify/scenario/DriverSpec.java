package org.smmulab.verify.scenario;

import java.util.Set;
import org.smmulab.driver.inject.Injection;
import org.smmulab.driver.tags.AsidSpace;

/**
 * Driver-wide choices of a scenario.
 *
 * @param asidSpace per-instance ASIDs (the design, the default) or one global space
 * @param injections driver bugs to inject (empty for the correct driver)
 */
public record DriverSpec(AsidSpace asidSpace, Set<Injection> injections) {
  /** The correct driver with per-instance ASIDs. */
  public static final DriverSpec DEFAULT = new DriverSpec(AsidSpace.PER_INSTANCE, Set.of());

  /** Copies the injections. */
  public DriverSpec {
    injections = Set.copyOf(injections);
  }
}
