package org.smmulab.verify.scenario;

import java.util.Collection;
import java.util.Locale;

/** "Did you mean" hints for misspelt keys, steps and names. */
final class Suggest {
  private Suggest() {}

  /**
   * {@code " (did you mean 'x'?)"} for the candidate closest to {@code typed} when it is within a
   * third of its length in edits (at least one), else an empty string; numbers get no hint.
   */
  static String didYouMean(String typed, Collection<String> candidates) {
    if (typed.matches("[0-9]+")) {
      return "";
    }
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    String t = typed.toLowerCase(Locale.ROOT);
    for (String c : candidates) {
      int d = distance(t, c.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        best = c;
        bestDistance = d;
      }
    }
    int allowed = Math.max(1, typed.length() / 3);
    return best != null && bestDistance > 0 && bestDistance <= allowed
        ? " (did you mean '" + best + "'?)"
        : "";
  }

  /** Levenshtein distance. */
  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
