package org.smmulab.verify.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.smmulab.driver.tags.CacheTags;

/** Compares the live tags of one instance with what an expect step says. */
final class TagChecks {
  private TagChecks() {}

  static Check check(
      String instance, TagExpectation e, List<TagInfo> found, CacheTags.TagUsage usage) {
    List<String> wrong = new ArrayList<>();
    if (e.exact() != null) {
      for (TagExpectation.Tag want : e.exact()) {
        TagInfo got =
            found.stream().filter(t -> t.domain().equals(want.domain())).findFirst().orElse(null);
        if (got == null) {
          wrong.add("no tag for domain " + want.domain());
          continue;
        }
        if (want.type() != null && want.type() != got.type()) {
          wrong.add(want.domain() + " has a " + got.type() + " tag, not " + want.type());
        }
        if (want.id() != null && want.id() != got.id()) {
          wrong.add(want.domain() + " has " + got.label() + ", expected id " + want.id());
        }
        if (want.users() != null && want.users() != got.users()) {
          wrong.add(
              want.domain()
                  + "'s "
                  + got.label()
                  + " has "
                  + got.users()
                  + " users, expected "
                  + want.users());
        }
      }
      for (TagInfo got : found) {
        if (e.exact().stream().noneMatch(t -> t.domain().equals(got.domain()))) {
          wrong.add("unexpected " + got.label() + " of domain " + got.domain());
        }
      }
    }
    if (e.asids() != null && e.asids() != usage.asids()) {
      wrong.add(usage.asids() + " ASIDs allocated, expected " + e.asids());
    }
    if (e.vmids() != null && e.vmids() != usage.vmids()) {
      wrong.add(usage.vmids() + " VMIDs allocated, expected " + e.vmids());
    }
    String listing =
        found.isEmpty()
            ? "no tags"
            : found.stream()
                .map(t -> t.label() + " " + t.domain() + " users=" + t.users())
                .collect(Collectors.joining(", "));
    String counts = usage.asids() + " ASIDs, " + usage.vmids() + " VMIDs";
    String detail = (e.exact() != null ? listing : counts);
    return new Check(
        "tags on " + instance,
        wrong.isEmpty(),
        wrong.isEmpty() ? detail : String.join("; ", wrong) + " (found " + detail + ")");
  }
}
