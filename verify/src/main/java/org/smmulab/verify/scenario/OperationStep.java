package org.smmulab.verify.scenario;

/**
 * A step that calls the driver and may be expected to fail: with {@link #expectedError()} set it
 * passes only when the call fails that way and leaves every tag, array, entry, mapping and command
 * queue as it was.
 */
public sealed interface OperationStep extends Step
    permits AttachStep, DetachStep, MapStep, UnmapStep {
  /** The failure the step expects, or {@code null} when it expects the call to succeed. */
  ErrorKind expectedError();
}
