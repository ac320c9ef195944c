package org.smmulab.verify.scenario;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Takes a snapshot of parts of the machine for the report.
 *
 * @param at where the step is written
 * @param parts what to show
 */
public record ShowStep(Position at, Set<Part> parts) implements Step {
  /** What a show step can show. */
  public enum Part {
    /** The live tags of every instance. */
    TAGS,
    /** Every slot of every domain's invalidation array. */
    ARRAYS,
    /** Per instance, the commands of the last operation step and since the steps began. */
    COMMANDS,
    /** Per instance, the TLB entries; per ATS device, the ATC entries. */
    TLB,
    /** Per instance, the hardware counters. */
    COUNTERS;

    /** The name in scenario files. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Copies the parts, in the order of {@link Part}. */
  public ShowStep {
    parts =
        Collections.unmodifiableSet(
            parts.isEmpty() ? EnumSet.noneOf(Part.class) : EnumSet.copyOf(parts));
  }

  @Override
  public String op() {
    return "show";
  }

  @Override
  public String describe() {
    return "show " + parts.stream().map(Part::label).collect(Collectors.joining(", "));
  }
}
