package org.smmulab.verify.scenario;

/**
 * Detaches a device's stream (it becomes blocked) or one of its SubstreamIDs (its CD becomes
 * invalid).
 *
 * @param at where the step is written
 * @param device the device
 * @param pasid the SubstreamID to detach, or 0 for the whole stream
 */
public record DetachStep(Position at, String device, int pasid) implements OperationStep {
  /** Detach cannot fail, so it never expects an error. */
  @Override
  public ErrorKind expectedError() {
    return null;
  }

  @Override
  public String op() {
    return "detach";
  }

  @Override
  public String describe() {
    return "detach " + device + (pasid != 0 ? " PASID " + pasid : "");
  }
}
