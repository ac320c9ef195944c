package org.smmulab.verify.scenario;

/**
 * One step of a scenario. Operation steps act on the driver ({@link OperationStep}); a {@link
 * DmaStep} issues one DMA from a device; {@link ExpectStep} checks the state; {@link ShowStep}
 * takes a snapshot for the report.
 */
public sealed interface Step permits OperationStep, DmaStep, ExpectStep, ShowStep {
  /** Where the step is written (for a step made by {@code repeat}, where the repeated step is). */
  Position at();

  /** The step's keyword: {@code attach}, {@code detach}, {@code map}, ... */
  String op();

  /** The step in a few words, for reports: {@code "attach nic to vm"}. */
  String describe();
}
