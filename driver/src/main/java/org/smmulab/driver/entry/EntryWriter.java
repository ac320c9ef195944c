package org.smmulab.driver.entry;

import java.util.ArrayList;
import java.util.List;
import org.smmulab.arch.bus.BusAbort;

/**
 * Plans and carries out the update of a live STE or CD so that the SMMU, which may fetch the entry
 * at any moment and only promises 64-bit single-copy atomicity, never sees a mixture that is
 * neither the old nor the new configuration.
 *
 * <h2>The algorithm</h2>
 *
 * <p>The planner first works out, qword by qword, the bits the current entry uses and the bits the
 * target uses, and the update-safe bits (bits both use that may nevertheless change at any time;
 * STE only). Safe bits are dropped from the current entry's used set, because changing them early
 * does no harm.
 *
 * <p>It then forms a <em>staging</em> entry: every bit the current entry still uses keeps its
 * current value, every other bit already takes the target's value. Storing the staging entry is
 * invisible to the SMMU. A qword is <em>marked</em> when, even in the staging entry, the bits the
 * target uses do not yet equal the target qword: that qword still has to change bits that are live.
 *
 * <ul>
 *   <li>No qword marked ({@link EntryWritePath#IN_PLACE}): store the target in one pass.
 *   <li>One qword marked ({@link EntryWritePath#HITLESS}): that qword is critical. Pass 1 stores
 *       the staging entry with the critical qword left as it is; pass 2 stores the critical qword's
 *       target value, a single atomic store that flips the SMMU from the old to the new
 *       configuration; pass 3 stores the full target, clearing bits the new configuration ignores.
 *   <li>Two or more marked ({@link EntryWritePath#BREAKING}): no single store can switch over, so
 *       pass 1 stores 0 to qword 0 (the entry becomes invalid), pass 2 stores qwords 1 to 7 of the
 *       target, pass 3 stores qword 0 of the target.
 * </ul>
 *
 * <p>Each pass stores only the qwords whose value actually changes, in ascending index order, and
 * is followed by a sync only when it changed something; a pass that changes nothing is left out of
 * the plan. So a plan has between 0 and 3 syncs. The planner accepts any two 64-byte images; bits a
 * target sets outside its own used set are legal input and simply end up marking their qword.
 *
 * <p>Stateless and thread-safe.
 */
public final class EntryWriter {
  private EntryWriter() {}

  /**
   * Computes the ordered writes and syncs that turn {@code current} into {@code target}.
   *
   * @param kind STE or CD (selects the used-bits and update-safe rules)
   * @param current the entry now in memory, eight qwords (not modified)
   * @param target the entry to install, eight qwords (not modified)
   * @return the plan; its last step (if any) leaves the entry equal to {@code target}
   * @throws IllegalArgumentException if either array is not eight qwords long
   */
  public static EntryWritePlan plan(EntryKind kind, long[] current, long[] target) {
    UsedBits.checkLength(current, "current");
    UsedBits.checkLength(target, "target");
    int n = UsedBits.QWORDS;
    long[] curUsed = kind.usedBits(current);
    long[] targetUsed = kind.usedBits(target);
    long[] safe = kind.updateSafe(current, target);
    long[] staging = new long[n];
    int marked = 0;
    for (int i = 0; i < n; i++) {
      long safeBoth = safe[i] & curUsed[i] & targetUsed[i];
      long keep = curUsed[i] & ~safeBoth;
      staging[i] = (current[i] & keep) | (target[i] & ~keep);
      if ((staging[i] & targetUsed[i]) != target[i]) {
        marked |= 1 << i;
      }
    }

    long[] live = current.clone();
    List<EntryWriteStep> steps = new ArrayList<>();
    EntryWritePath path;
    int critical = -1;
    if (Integer.bitCount(marked) == 1) {
      path = EntryWritePath.HITLESS;
      critical = Integer.numberOfTrailingZeros(marked);
      staging[critical] = current[critical];
      pass(live, staging, 0, n, steps);
      pass(live, target, critical, 1, steps);
      pass(live, target, 0, n, steps);
    } else if (marked != 0) {
      path = EntryWritePath.BREAKING;
      long[] invalid = live.clone();
      invalid[0] = 0;
      pass(live, invalid, 0, 1, steps);
      pass(live, target, 1, n - 1, steps);
      pass(live, target, 0, 1, steps);
    } else {
      path = EntryWritePath.IN_PLACE;
      pass(live, target, 0, n, steps);
    }
    return new EntryWritePlan(kind, current, target, marked, path, critical, steps);
  }

  /**
   * Carries out {@code plan} on {@code target}: for each step, stores its changed qwords in
   * ascending order, then syncs if the step says so. The caller must hold whatever lock serialises
   * writers of this entry, and the entry must hold {@link EntryWritePlan#initial()} when called.
   *
   * @throws BusAbort if a store or sync fails; the entry is then left as the steps so far made it
   */
  public static void apply(EntryWritePlan plan, EntryTarget target) throws BusAbort {
    for (EntryWriteStep step : plan.steps()) {
      for (int index : step.changed()) {
        target.writeQword(index, step.qword(index));
      }
      if (step.sync()) {
        target.sync();
      }
    }
  }

  /**
   * Stores {@code want[start..start+len)} into {@code live}; records a step if anything changed.
   */
  private static void pass(
      long[] live, long[] want, int start, int len, List<EntryWriteStep> steps) {
    int changed = 0;
    for (int i = start; i < start + len; i++) {
      if (live[i] != want[i]) {
        live[i] = want[i];
        changed |= 1 << i;
      }
    }
    if (changed != 0) {
      steps.add(new EntryWriteStep(live, changed, true));
    }
  }
}
