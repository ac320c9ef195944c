package org.smmulab.driver.entry;

/**
 * The check the Linux KUnit harness makes at every sync: while qword 0 is non-zero, the live entry
 * equals the initial or the target entry on the bits the live entry uses, ignoring the bits that
 * are update-safe between the live entry and the entry it is compared with.
 */
final class KunitInvariant {
  private KunitInvariant() {}

  /** Null when every sync of {@code plan} satisfies the check, else a description of the first. */
  static String firstViolation(EntryWritePlan plan) {
    EntryKind kind = plan.kind();
    long[] initial = plan.initial();
    long[] target = plan.target();
    int sync = 0;
    for (EntryWriteStep step : plan.steps()) {
      if (!step.sync()) {
        continue;
      }
      sync++;
      long[] live = step.qwords();
      if (live[0] == 0) {
        continue;
      }
      long[] used = kind.usedBits(live);
      boolean likeInitial = equalOnUsed(live, initial, used, kind.updateSafe(live, initial));
      boolean likeTarget = equalOnUsed(live, target, used, kind.updateSafe(live, target));
      if (!likeInitial && !likeTarget) {
        return "sync " + sync + " shows an entry that is neither the initial nor the target";
      }
    }
    return null;
  }

  private static boolean equalOnUsed(long[] live, long[] other, long[] used, long[] safe) {
    for (int i = 0; i < live.length; i++) {
      long mask = used[i] & ~safe[i];
      if ((live[i] & mask) != (other[i] & mask)) {
        return false;
      }
    }
    return true;
  }
}
