package org.smmulab.driver.entry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.smmulab.arch.bus.BusAbort;
import org.smmulab.arch.testing.SharedVectors;

/** The 29 directed transitions of the Linux KUnit suite, checked against every published value. */
class KunitTransitionsTest {
  static Stream<Arguments> transitions() {
    List<Arguments> out = new ArrayList<>();
    for (JsonNode t : KunitEntries.VECTORS.get("transitions")) {
      out.add(Arguments.of(t.get("test").asText(), t));
    }
    return out.stream();
  }

  @Test
  void thereAre29Transitions() {
    assertThat(transitions()).hasSize(29);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("transitions")
  void planMatchesKunit(String name, JsonNode t) {
    long[] initial = KunitEntries.entry(t.get("initial").asText());
    long[] target = KunitEntries.entry(t.get("target").asText());
    EntryWritePlan plan = EntryWriter.plan(KunitEntries.kind(t), initial, target);

    assertThat(plan.syncs()).as("syncs").isEqualTo(t.get("expected_syncs").asInt());
    assertThat(plan.hitless()).as("hitless").isEqualTo(t.get("expected_hitless").asBoolean());
    List<EntryWriteStep> steps = plan.steps();
    assertThat(steps.get(steps.size() - 1).qwords()).as("final entry").isEqualTo(target);

    JsonNode derived = t.get("derived");
    JsonNode perSync = derived.get("per_sync_entry");
    assertThat(steps).as("steps").hasSize(perSync.size());
    for (int i = 0; i < steps.size(); i++) {
      assertThat(steps.get(i).sync()).isTrue();
      assertThat(hex(steps.get(i).qwords()))
          .as("entry at sync %d", i + 1)
          .isEqualTo(hex(SharedVectors.qwords(perSync.get(i))));
    }
    assertThat(plan.pathLabel()).isEqualTo(derived.get("path").asText());
    assertThat(plan.usedQwordDiffMask()).isEqualTo(derived.get("used_qword_diff_mask").asInt());
    assertThat(KunitInvariant.firstViolation(plan)).isNull();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("transitions")
  void applyPerformsExactlyTheStepsInOrder(String name, JsonNode t) throws BusAbort {
    long[] initial = KunitEntries.entry(t.get("initial").asText());
    long[] target = KunitEntries.entry(t.get("target").asText());
    EntryWritePlan plan = EntryWriter.plan(KunitEntries.kind(t), initial, target);
    RecordingTarget memory = new RecordingTarget(initial);

    EntryWriter.apply(plan, memory);

    assertThat(memory.entry).isEqualTo(target);
    assertThat(memory.snapshots).hasSize(plan.syncs());
    Iterator<EntryWriteStep> steps = plan.steps().iterator();
    for (long[] snapshot : memory.snapshots) {
      assertThat(snapshot).isEqualTo(steps.next().qwords());
    }
    int stores = plan.steps().stream().mapToInt(s -> Integer.bitCount(s.changedMask())).sum();
    assertThat(memory.stores).isEqualTo(stores);
  }

  @Test
  void cdtableToBypassPreSetsShcfgThenSwitchesQwordZeroThenCleans() {
    EntryWritePlan plan =
        EntryWriter.plan(
            EntryKind.STE,
            KunitEntries.entry("cdtable_ssid0_ats"),
            KunitEntries.entry("bypass_ste"));
    assertThat(plan.path()).isEqualTo(EntryWritePath.HITLESS);
    assertThat(plan.criticalQword()).hasValue(0);
    assertThat(plan.steps())
        .extracting(EntryWriteStep::changed)
        .containsExactly(List.of(1), List.of(0), List.of(1));
    assertThat(plan.steps().get(0).qword(1)).isEqualTo(0x00001000180000d6L);
  }

  @Test
  void identicalEntriesNeedNoWriteAndNoSync() {
    long[] s2 = KunitEntries.entry("s2_ats");
    EntryWritePlan plan = EntryWriter.plan(EntryKind.STE, s2, s2);
    assertThat(plan.steps()).isEmpty();
    assertThat(plan.syncs()).isZero();
    assertThat(plan.hitless()).isTrue();
    assertThat(plan.path()).isEqualTo(EntryWritePath.IN_PLACE);
    assertThat(plan.criticalQword()).isEmpty();
  }

  @Test
  void wrongLengthIsRejectedWithTheCount() {
    org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
        .isThrownBy(() -> EntryWriter.plan(EntryKind.CD, new long[7], new long[8]))
        .withMessageContaining("current: expected 8 qwords, got 7");
  }

  private static List<String> hex(long[] qwords) {
    List<String> out = new ArrayList<>();
    for (long q : qwords) {
      out.add(String.format("0x%016x", q));
    }
    return out;
  }

  /** Memory for one entry that records the entry at each sync. */
  private static final class RecordingTarget implements EntryTarget {
    final long[] entry;
    final List<long[]> snapshots = new ArrayList<>();
    int stores;

    RecordingTarget(long[] initial) {
      entry = initial.clone();
    }

    @Override
    public void writeQword(int index, long value) {
      entry[index] = value;
      stores++;
    }

    @Override
    public void sync() {
      snapshots.add(entry.clone());
    }
  }
}
