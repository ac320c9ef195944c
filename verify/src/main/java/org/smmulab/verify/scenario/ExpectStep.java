package org.smmulab.verify.scenario;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks the state at this point of the scenario. Each part is optional (empty: not checked).
 *
 * @param at where the step is written
 * @param tags per instance, the tags that must be live on it
 * @param arrays per domain, the live entries its invalidation array must hold, in array order
 * @param commands per instance, the commands by opcode it must have consumed during the last
 *     operation step before this one: exactly these, every other opcode zero
 */
public record ExpectStep(
    Position at,
    Map<String, TagExpectation> tags,
    Map<String, List<EntryExpectation>> arrays,
    Map<String, Map<String, Long>> commands)
    implements Step {

  /** Copies the maps, keeping their order. */
  public ExpectStep {
    tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags));
    arrays = Collections.unmodifiableMap(new LinkedHashMap<>(arrays));
    commands = Collections.unmodifiableMap(new LinkedHashMap<>(commands));
  }

  @Override
  public String op() {
    return "expect";
  }

  @Override
  public String describe() {
    List<String> parts = new ArrayList<>();
    if (!tags.isEmpty()) {
      parts.add("tags");
    }
    if (!arrays.isEmpty()) {
      parts.add("arrays");
    }
    if (!commands.isEmpty()) {
      parts.add("commands");
    }
    return "expect " + String.join(", ", parts);
  }
}
