package org.smmulab.verify.scenario;

import java.util.List;
import java.util.Map;
import org.smmulab.hw.smmu.observe.SmmuStatistics;
import org.smmulab.verify.oracle.Violation;

/**
 * Everything a scenario run found.
 *
 * @param scenario the scenario that ran
 * @param steps one result per step, in order
 * @param expectationsFailed the steps that did not do what was expected (violations aside)
 * @param violations what the oracle found: DMAs outside what the driver allowed, and broken driver
 *     invariants at the end of the run
 * @param dmasChecked the DMAs the oracle judged
 * @param setupCommands per instance, the commands of probe and reset, before the first step
 * @param tags per instance, the live tags at the end
 * @param counters per instance, the hardware counters at the end
 */
public record ScenarioResult(
    Scenario scenario,
    List<StepResult> steps,
    int expectationsFailed,
    List<Violation> violations,
    long dmasChecked,
    Map<String, Map<String, Long>> setupCommands,
    Map<String, List<TagInfo>> tags,
    Map<String, SmmuStatistics> counters) {

  /** Copies the lists. */
  public ScenarioResult {
    steps = List.copyOf(steps);
    violations = List.copyOf(violations);
  }

  /** Whether every expectation held and the oracle found nothing. */
  public boolean passed() {
    return expectationsFailed == 0 && violations.isEmpty();
  }
}
