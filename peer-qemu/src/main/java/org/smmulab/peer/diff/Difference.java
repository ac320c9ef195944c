package org.smmulab.peer.diff;

/**
 * One way the two peers disagreed at one step.
 *
 * @param step the step number (0 for the machine setup, then 1, 2, ...)
 * @param operation what the step did
 * @param aspect what differs ("result", "commands", "faults", "memory", "global errors", an ID
 *     register)
 * @param model what the hardware model showed
 * @param qemu what QEMU showed
 * @param verdict how it is judged
 * @param label a short name of the known deviation or explanation ({@code null} when unexplained)
 * @param explanation why they differ, in a sentence
 */
public record Difference(
    int step,
    String operation,
    String aspect,
    String model,
    String qemu,
    Verdict verdict,
    String label,
    String explanation) {
  /** Whether this difference fails a run. */
  public boolean fails() {
    return verdict == Verdict.UNEXPLAINED;
  }

  /** A multi-line description for reports. */
  public String describe() {
    return String.format(
        "step %d (%s), %s: %s%n    model: %s%n    qemu:  %s%n    %s",
        step,
        operation,
        aspect,
        verdict == Verdict.UNEXPLAINED ? "UNEXPLAINED" : verdict + " [" + label + "]",
        model,
        qemu,
        explanation);
  }
}
