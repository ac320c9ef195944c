package org.smmulab.verify.oracle;

/** The kinds of violation the oracle reports, by the names tools see. */
public enum ViolationClass {
  /** A translation used outside every window in which it may be used. */
  STALE_TRANSLATION("stale-translation"),
  /** Memory none of the device's domains mapped at that IOVA. */
  ISOLATION_BREACH("isolation-breach"),
  /** A mapping used with a permission it did not grant. */
  PERMISSION_BREACH("permission-breach"),
  /** A fault although the mapping and the attachment had to work throughout the DMA. */
  LOST_ACCESS("lost-access"),
  /** A driver invariant broken (arrays, tags, leaks). */
  INVARIANT("invariant");

  private final String label;

  ViolationClass(String label) {
    this.label = label;
  }

  /** The name in reports and JSON. */
  public String label() {
    return label;
  }
}
