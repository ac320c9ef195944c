package org.smmulab.driver.entry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.smmulab.arch.cd.CdFields;
import org.smmulab.arch.codec.Field;
import org.smmulab.arch.ste.SteFields;

/**
 * Properties of the writer over entries it has never seen: KUnit entries with random field changes,
 * and fully random qwords. Fixed seeds.
 */
class EntryWriterPropertyTest {
  /** An (initial, target) pair of one kind. */
  record Pair(EntryKind kind, long[] initial, long[] target) {}

  @Property(tries = 400, seed = "424242")
  void mutatedKunitEntriesKeepTheKunitInvariant(@ForAll("mutatedPairs") Pair pair) {
    EntryWritePlan plan = EntryWriter.plan(pair.kind(), pair.initial(), pair.target());
    assertThat(KunitInvariant.firstViolation(plan)).isNull();
    assertGeneralProperties(pair, plan);
  }

  @Property(tries = 400, seed = "171717")
  void randomQwordsAlwaysReachTheTarget(@ForAll("randomPairs") Pair pair) {
    EntryWritePlan plan = EntryWriter.plan(pair.kind(), pair.initial(), pair.target());
    assertGeneralProperties(pair, plan);
  }

  private static void assertGeneralProperties(Pair pair, EntryWritePlan plan) {
    long[] finalEntry =
        plan.steps().isEmpty()
            ? pair.initial()
            : plan.steps().get(plan.steps().size() - 1).qwords();
    assertThat(finalEntry).isEqualTo(pair.target());
    assertThat(plan.syncs()).isBetween(0, 3);
    Field v = pair.kind().validField();
    if (plan.path() == EntryWritePath.HITLESS
        && v.get(pair.initial()) == 1
        && v.get(pair.target()) == 1) {
      for (EntryWriteStep step : plan.steps()) {
        assertThat(v.get(step.qwords())).as("V at %s", step).isEqualTo(1);
      }
      assertThat(plan.hitless()).isTrue();
    }
    long[] live = pair.initial();
    for (EntryWriteStep step : plan.steps()) {
      long[] after = step.qwords();
      for (int i = 0; i < 8; i++) {
        boolean changed = (step.changedMask() & (1 << i)) != 0;
        assertThat(after[i] != live[i]).as("changed flag of qword %d", i).isEqualTo(changed);
      }
      live = after;
    }
  }

  @Provide
  Arbitrary<Pair> mutatedPairs() {
    return Arbitraries.of(EntryKind.values())
        .flatMap(
            kind -> {
              List<long[]> base = KunitEntries.entriesOf(kind);
              List<Field> fields =
                  (kind == EntryKind.STE ? SteFields.LAYOUT : CdFields.LAYOUT).fields();
              Arbitrary<long[]> entry =
                  Combinators.combine(
                          Arbitraries.of(base),
                          Arbitraries.of(fields).list().ofMaxSize(3),
                          Arbitraries.longs().list().ofSize(3))
                      .as(
                          (start, changed, values) -> {
                            long[] out = start.clone();
                            for (int i = 0; i < changed.size(); i++) {
                              changed.get(i).set(out, values.get(i));
                            }
                            return out;
                          });
              return Combinators.combine(entry, entry).as((a, b) -> new Pair(kind, a, b));
            });
  }

  @Provide
  Arbitrary<Pair> randomPairs() {
    Arbitrary<long[]> entry =
        Arbitraries.longs()
            .list()
            .ofSize(8)
            .map(l -> l.stream().mapToLong(Long::longValue).toArray());
    return Combinators.combine(Arbitraries.of(EntryKind.values()), entry, entry).as(Pair::new);
  }
}
