package org.smmulab.driver.entry;

import java.util.List;
import java.util.OptionalInt;

/**
 * The ordered writes and syncs that take one live entry from its current value to a target value,
 * as computed by {@link EntryWriter#plan}. Immutable; safe to share between threads.
 */
public final class EntryWritePlan {
  private final EntryKind kind;
  private final long[] initial;
  private final long[] target;
  private final int usedQwordDiffMask;
  private final EntryWritePath path;
  private final int criticalQword;
  private final List<EntryWriteStep> steps;

  EntryWritePlan(
      EntryKind kind,
      long[] initial,
      long[] target,
      int usedQwordDiffMask,
      EntryWritePath path,
      int criticalQword,
      List<EntryWriteStep> steps) {
    this.kind = kind;
    this.initial = initial.clone();
    this.target = target.clone();
    this.usedQwordDiffMask = usedQwordDiffMask;
    this.path = path;
    this.criticalQword = criticalQword;
    this.steps = List.copyOf(steps);
  }

  /** STE or CD. */
  public EntryKind kind() {
    return kind;
  }

  /** The entry before the first step (a fresh copy of eight qwords). */
  public long[] initial() {
    return initial.clone();
  }

  /** The entry after the last step (a fresh copy of eight qwords). */
  public long[] target() {
    return target.clone();
  }

  /**
   * Bit {@code i} set when qword {@code i} still differs from the target on the target's used bits
   * after the staging entry was formed; one bit selects {@link EntryWritePath#HITLESS}, two or more
   * {@link EntryWritePath#BREAKING}, none {@link EntryWritePath#IN_PLACE}.
   */
  public int usedQwordDiffMask() {
    return usedQwordDiffMask;
  }

  /** The strategy chosen. */
  public EntryWritePath path() {
    return path;
  }

  /** The qword whose single store switches the configuration; present on the hitless path only. */
  public OptionalInt criticalQword() {
    return path == EntryWritePath.HITLESS ? OptionalInt.of(criticalQword) : OptionalInt.empty();
  }

  /** The write passes that change at least one qword, in order. */
  public List<EntryWriteStep> steps() {
    return steps;
  }

  /** The number of syncs the plan issues. */
  public int syncs() {
    return (int) steps.stream().filter(EntryWriteStep::sync).count();
  }

  /**
   * True when no sync ever observes qword 0 equal to 0, i.e. the entry is never seen as the
   * all-invalid qword 0. Like the Linux KUnit harness this looks at the whole qword, so an update
   * from or to an all-zero CD counts as not hitless.
   */
  public boolean hitless() {
    return steps.stream().noneMatch(s -> s.sync() && s.qword(0) == 0);
  }

  /**
   * The path in words: {@code hitless(critical qword N)}, {@code breaking(V=0)} or {@code
   * in-place}.
   */
  public String pathLabel() {
    switch (path) {
      case HITLESS:
        return "hitless(critical qword " + criticalQword + ")";
      case BREAKING:
        return "breaking(V=0)";
      default:
        return "in-place";
    }
  }
}
