package org.smmulab.driver.invs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.smmulab.driver.invs.Entries.Key;

/** Random attach/detach sequences against a hand-written reference-count model. */
class InvalidationArrayPropertyTest {

  @Provide
  Arbitrary<Invalidation> entries() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 1),
            Arbitraries.of(InvalidationType.class),
            Arbitraries.integers().between(0, 3),
            Arbitraries.integers().between(0, 2))
        .as((smmu, type, id, ssid) -> Entries.make(smmu, type, id, type.isAts() ? ssid : 0));
  }

  @Provide
  Arbitrary<List<Invalidation>> lists() {
    return entries().list().ofMaxSize(6);
  }

  private static boolean anyAts(InvalidationArray array) {
    return array.slots().stream().anyMatch(e -> e.type().isAts());
  }

  private static void assertSortedWithoutTrash(InvalidationArray array) {
    List<Key> keys = new ArrayList<>();
    array.slots().forEach(e -> keys.add(Key.of(e)));
    for (int k = 1; k < keys.size(); k++) {
      assertThat(keys.get(k - 1)).as("slot %d of %s", k, array).isLessThan(keys.get(k));
    }
    assertThat(array.numTrashes()).isZero();
    assertThat(array.slots()).allSatisfy(e -> assertThat(e.users()).isPositive());
    assertThat(array.hasAts()).as("hasAts of %s", array).isEqualTo(anyAts(array));
  }

  @Property(tries = 200, seed = "4242")
  void mergeIsSortedHasNoTrashAndSumsUsers(
      @ForAll @Size(max = 4) List<@From("lists") List<Invalidation>> attachments) {
    TreeMap<Key, Integer> model = new TreeMap<>();
    InvalidationArray array = InvalidationArray.empty();
    for (List<Invalidation> attachment : attachments) {
      InvalidationArray list = Entries.list(attachment);
      array = InvalidationArray.merge(array, list);
      list.slots().forEach(e -> model.merge(Key.of(e), 1, Integer::sum));
      assertSortedWithoutTrash(array);
      assertThat(Entries.live(array)).isEqualTo(Entries.content(model));
      assertThat(array.capacity()).isEqualTo(array.numInvs());
    }
  }

  @Property(tries = 200, seed = "777")
  void unrefAfterMergeOfTheSameListRestoresTheLiveContent(
      @ForAll @Size(max = 3) List<@From("lists") List<Invalidation>> earlier,
      @ForAll("lists") List<Invalidation> attachment) {
    InvalidationArray base = InvalidationArray.empty();
    for (List<Invalidation> e : earlier) {
      base = InvalidationArray.merge(base, Entries.list(e));
    }
    List<Map.Entry<Key, Integer>> before = Entries.live(base);
    InvalidationArray list = Entries.list(attachment);
    InvalidationArray toUnref = Entries.list(attachment);
    InvalidationArray merged = InvalidationArray.merge(base, list);
    UnrefReport report = InvalidationArray.unref(merged, toUnref);

    assertThat(Entries.live(merged)).isEqualTo(before);
    assertThat(report.hasWarnings()).isFalse();
    for (Invalidation e : toUnref.slots()) {
      boolean stillUsed = before.stream().anyMatch(b -> b.getKey().equals(Key.of(e)));
      assertThat(e.users()).as("write-back of %s", e).isEqualTo(stillUsed ? 1 : 0);
    }
    if (merged.numInvs() > 0) {
      assertThat(merged.entry(merged.numInvs() - 1).users()).as("no trailing trash").isPositive();
    }
    long trash = merged.slots().stream().filter(e -> e.users() == 0).count();
    assertThat(merged.numTrashes()).isEqualTo((int) trash);
  }

  @Property(tries = 200, seed = "31337")
  void purgeKeepsExactlyTheLiveEntriesInOrder(
      @ForAll @Size(min = 1, max = 4) List<@From("lists") List<Invalidation>> attachments,
      @ForAll @IntRange(min = 0, max = 15) int detachMask) {
    InvalidationArray array = InvalidationArray.empty();
    for (List<Invalidation> a : attachments) {
      array = InvalidationArray.merge(array, Entries.list(a));
    }
    for (int k = 0; k < attachments.size(); k++) {
      if ((detachMask & (1 << k)) != 0) {
        InvalidationArray.unref(array, Entries.list(attachments.get(k)));
      }
    }
    List<Map.Entry<Key, Integer>> live = Entries.live(array);
    InvalidationArray purged = InvalidationArray.purge(array);
    if (purged == null) {
      assertThat(array.numInvs() == 0 || array.numTrashes() == 0).isTrue();
    } else {
      assertThat(array.numTrashes()).isPositive();
      assertThat(Entries.live(purged)).isEqualTo(live);
      assertThat(purged.numInvs()).isEqualTo(live.size());
      assertSortedWithoutTrash(purged);
    }
  }

  /** One attach (merge) or detach (unref) of attachment {@code pick}, optionally then a purge. */
  record Step(boolean attach, int pick, boolean purge) {}

  @Provide
  Arbitrary<Step> steps() {
    return Combinators.combine(
            Arbitraries.of(true, false),
            Arbitraries.integers().between(0, 3),
            Arbitraries.of(true, false))
        .as(Step::new);
  }

  @Property(tries = 150, seed = "2026")
  void attachDetachSequencesFollowTheModel(
      @ForAll @Size(4) List<@From("lists") List<Invalidation>> pool,
      @ForAll @Size(max = 25) List<@From("steps") Step> steps) {
    TreeMap<Key, Integer> model = new TreeMap<>();
    int[] attached = new int[pool.size()];
    InvalidationArray array = InvalidationArray.empty();
    for (Step step : steps) {
      InvalidationArray list = Entries.list(pool.get(step.pick()));
      if (step.attach()) {
        array = InvalidationArray.merge(array, list);
        attached[step.pick()]++;
        list.slots().forEach(e -> model.merge(Key.of(e), 1, Integer::sum));
        assertSortedWithoutTrash(array);
      } else if (attached[step.pick()] > 0) {
        InvalidationArray.unref(array, list);
        attached[step.pick()]--;
        list.slots().forEach(e -> model.merge(Key.of(e), -1, Integer::sum));
      }
      if (step.purge()) {
        InvalidationArray purged = InvalidationArray.purge(array);
        if (purged != null) {
          array = purged;
          assertSortedWithoutTrash(array);
        }
      }
      assertThat(Entries.live(array)).isEqualTo(Entries.content(model));
      long trash = array.slots().stream().filter(e -> e.users() == 0).count();
      assertThat(array.numTrashes()).isEqualTo((int) trash);
    }
  }
}
