package org.smmulab.verify.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Compares the live entries of one domain's invalidation array with what an expect step says. */
final class ArrayChecks {
  private ArrayChecks() {}

  static Check check(String domain, List<EntryExpectation> expected, List<ArrayEntry> slots) {
    List<ArrayEntry> live = slots.stream().filter(e -> e.users() > 0).toList();
    List<String> wrong = new ArrayList<>();
    if (live.size() != expected.size()) {
      wrong.add(live.size() + " live entries, expected " + expected.size());
    } else {
      for (int i = 0; i < live.size(); i++) {
        if (!matches(expected.get(i), live.get(i))) {
          wrong.add(
              "entry "
                  + i
                  + " is "
                  + live.get(i).describe()
                  + ", expected "
                  + describe(expected.get(i)));
        }
      }
    }
    String found =
        live.isEmpty()
            ? "empty"
            : live.stream().map(ArrayEntry::describe).collect(Collectors.joining(", "));
    return new Check(
        "array of " + domain,
        wrong.isEmpty(),
        wrong.isEmpty() ? found : String.join("; ", wrong) + " (found " + found + ")");
  }

  private static boolean matches(EntryExpectation e, ArrayEntry a) {
    return e.instance().equals(a.instance())
        && e.type() == a.type()
        && (e.id() == null || e.id() == a.id())
        && (e.ssid() == null || e.ssid() == a.ssid())
        && (e.users() == null || e.users() == a.users());
  }

  private static String describe(EntryExpectation e) {
    return e.instance()
        + " "
        + e.type()
        + (e.id() != null ? String.format(e.type().isAts() ? " 0x%x" : " %d", e.id()) : "")
        + (e.ssid() != null ? " ssid=" + e.ssid() : "")
        + (e.users() != null ? " users=" + e.users() : "");
  }
}
