package org.smmulab.verify.scenario;

/**
 * Attaches a device's stream, or one of its SubstreamIDs, to a domain or to {@code blocked}.
 *
 * @param at where the step is written
 * @param device the device
 * @param pasid the SubstreamID to attach, or 0 for the whole stream
 * @param domain the domain, or {@code null} for the blocked domain
 * @param expectedError the expected failure, or {@code null}
 */
public record AttachStep(
    Position at, String device, int pasid, String domain, ErrorKind expectedError)
    implements OperationStep {
  @Override
  public String op() {
    return "attach";
  }

  @Override
  public String describe() {
    return "attach "
        + device
        + (pasid != 0 ? " PASID " + pasid : "")
        + " to "
        + (domain == null ? "blocked" : domain);
  }
}
