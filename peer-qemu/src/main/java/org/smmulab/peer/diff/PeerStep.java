package org.smmulab.peer.diff;

/**
 * One operation of a run with the words reports use for it.
 *
 * @param op the operation
 * @param description what reports call it: the operation's own description for a seeded run, the
 *     scenario step and its {@code FILE:LINE:COLUMN} for a scenario
 */
public record PeerStep(PeerOp op, String description) {
  /** A step described by its operation. */
  public static PeerStep of(PeerOp op) {
    return new PeerStep(op, op.describe());
  }
}
