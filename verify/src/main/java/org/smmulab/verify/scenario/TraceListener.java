package org.smmulab.verify.scenario;

import org.smmulab.hw.smmu.observe.SmmuListener;

/**
 * Told of every command, event and translation of every instance of a scenario run (see {@link
 * SmmuListener} for the threading rules), and of each step before it runs.
 */
public interface TraceListener extends SmmuListener {
  /** A listener that ignores everything. */
  TraceListener NONE = new TraceListener() {};

  /**
   * Step {@code index} is about to run; what the instances report from now on belongs to it. Called
   * on the runner's thread.
   */
  default void step(int index, Step step) {}
}
