package org.smmulab.driver.invs;

import java.util.List;

/**
 * What one {@link InvalidationArray#unref} did. Unref cannot fail; an entry of the list that is not
 * live in the array (never merged, or already trash) is a caller bug the kernel only warns about,
 * so it is reported here instead of thrown.
 *
 * @param released entries whose user count dropped and stayed above 0
 * @param trashed entries whose user count reached 0 (including any cut off the tail)
 * @param missing entries of the list that had no live counterpart in the array, in list order
 */
public record UnrefReport(int released, int trashed, List<Invalidation> missing) {

  /** Copies {@code missing} so the report stays as it was. */
  public UnrefReport {
    missing = List.copyOf(missing);
  }

  /** Whether unref met an entry it could not find (the kernel's warning). */
  public boolean hasWarnings() {
    return !missing.isEmpty();
  }
}
