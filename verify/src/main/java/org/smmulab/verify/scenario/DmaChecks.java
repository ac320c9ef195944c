package org.smmulab.verify.scenario;

import java.util.ArrayList;
import java.util.List;

/** Compares what a DMA did with what its step expected. */
final class DmaChecks {
  private DmaChecks() {}

  static Check check(DmaExpectation e, DmaOutcome o) {
    List<String> wrong = new ArrayList<>();
    if (e.completes() != null && e.completes() != o.completed()) {
      wrong.add(e.completes() ? "expected it to complete" : "expected a fault");
    }
    if (e.pa() != null && o.completed() && e.pa() != o.pa()) {
      wrong.add(String.format("expected pa 0x%x", e.pa()));
    }
    if (e.fault() != null && !o.completed() && !e.fault().equals(o.fault())) {
      wrong.add("expected fault " + e.fault());
    }
    if (e.via() != null && o.completed() && e.via() != o.via()) {
      wrong.add("expected via " + e.via());
    }
    String found = o.describe() + (o.detail() != null ? " (" + o.detail() + ")" : "");
    return new Check(
        "dma " + e.describe(),
        wrong.isEmpty(),
        wrong.isEmpty() ? found : String.join(", ", wrong) + "; found " + found);
  }
}
