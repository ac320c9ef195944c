package org.smmulab.driver.entry;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.smmulab.arch.testing.SharedVectors;

/** The KUnit entries and transitions of {@code kunit-vectors.json}. */
final class KunitEntries {
  static final JsonNode VECTORS = SharedVectors.load("kunit-vectors.json");

  private KunitEntries() {}

  static long[] entry(String name) {
    JsonNode node = VECTORS.get("entries").get(name);
    if (node == null) {
      throw new IllegalArgumentException("no KUnit entry named " + name);
    }
    return SharedVectors.qwords(node.get("qwords"));
  }

  static EntryKind kind(JsonNode transition) {
    return EntryKind.valueOf(transition.get("kind").asText().toUpperCase(Locale.ROOT));
  }

  /** Every entry named by a transition, with the kind that transition gives it. */
  static Map<String, EntryKind> kinds() {
    Map<String, EntryKind> out = new LinkedHashMap<>();
    for (JsonNode t : VECTORS.get("transitions")) {
      out.put(t.get("initial").asText(), kind(t));
      out.put(t.get("target").asText(), kind(t));
    }
    return out;
  }

  static List<long[]> entriesOf(EntryKind kind) {
    List<long[]> out = new ArrayList<>();
    kinds()
        .forEach(
            (name, k) -> {
              if (k == kind) {
                out.add(entry(name));
              }
            });
    return out;
  }
}
