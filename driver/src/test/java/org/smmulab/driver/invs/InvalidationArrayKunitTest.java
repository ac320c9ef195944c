package org.smmulab.driver.invs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.smmulab.arch.testing.SharedVectors;

/**
 * The kernel's {@code arm_smmu_v3_invs_test}, step by step, against the shared KUnit vectors. As in
 * the kernel test, the five input lists are built once and reused, so the users that unref writes
 * back into them carry over from step to step.
 */
class InvalidationArrayKunitTest {
  private static final SmmuId SMMU = new SmmuId(0);
  private static JsonNode vectors;

  @BeforeAll
  static void load() {
    vectors = SharedVectors.load("kunit-vectors.json").get("invs");
  }

  private static InvalidationArray input(String name) {
    List<Invalidation> entries = new ArrayList<>();
    for (JsonNode e : vectors.get("inputs").get(name)) {
      InvalidationType type = InvalidationType.valueOf(e.get("type").asText());
      int id = e.get("id").asInt();
      int ssid = e.has("ssid") ? e.get("ssid").asInt() : 0;
      entries.add(
          switch (type) {
            case S2_VMID -> Invalidation.s2Vmid(SMMU, id, 0);
            case S2_VMID_S1_CLEAR -> Invalidation.s2VmidS1Clear(SMMU, id);
            case ATS -> Invalidation.ats(SMMU, id, ssid);
            default -> throw new AssertionError("no such type in the vectors: " + type);
          });
    }
    return InvalidationArray.of(entries.toArray(Invalidation[]::new));
  }

  private static List<Integer> ints(JsonNode array) {
    List<Integer> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asInt()));
    return out;
  }

  private static void verify(int step, InvalidationArray array) {
    JsonNode s = vectors.get("sequence").get(step);
    assertThat(s.get("step").asInt()).isEqualTo(step);
    JsonNode expect = s.get("expect");
    String where = "step " + step + " (" + s.get("op").asText() + "): " + array;
    assertThat(array.numInvs()).as(where).isEqualTo(expect.get("num_invs").asInt());
    if (expect.has("num_trashes")) {
      assertThat(array.numTrashes()).as(where).isEqualTo(expect.get("num_trashes").asInt());
    }
    List<Integer> ids = new ArrayList<>();
    List<Integer> users = new ArrayList<>();
    List<Integer> ssids = new ArrayList<>();
    List<String> types = new ArrayList<>();
    for (Invalidation inv : array.slots()) {
      ids.add(inv.id());
      users.add(inv.users());
      ssids.add(inv.ssid());
      types.add(inv.type().name());
    }
    if (expect.has("ids")) {
      assertThat(ids).as(where).isEqualTo(ints(expect.get("ids")));
      assertThat(users).as(where).isEqualTo(ints(expect.get("users")));
      assertThat(ssids).as(where).isEqualTo(ints(expect.get("ssids")));
    } else {
      assertThat(array.slots()).as(where).isEmpty();
    }
    List<String> expectedTypes = new ArrayList<>();
    JsonNode typeColumn = vectors.get("derived_type_columns").get(Integer.toString(step));
    if (typeColumn != null) {
      typeColumn.forEach(n -> expectedTypes.add(n.asText()));
      assertThat(types).as(where).isEqualTo(expectedTypes);
    }
  }

  private static void verifyWriteBack(int step, InvalidationArray toUnref) {
    JsonNode s = vectors.get("sequence").get(step);
    List<Integer> users = new ArrayList<>();
    toUnref.slots().forEach(inv -> users.add(inv.users()));
    assertThat(users)
        .as("users written back by step %d", step)
        .isEqualTo(ints(s.get("derived_to_unref_users_after")));
  }

  @Test
  void allElevenStepsMatchTheVectors() {
    InvalidationArray invs1 = input("invs1");
    InvalidationArray invs2 = input("invs2");
    InvalidationArray invs3 = input("invs3");
    InvalidationArray invs4 = input("invs4");
    InvalidationArray invs5 = input("invs5");

    InvalidationArray a = InvalidationArray.empty();
    verify(0, a);
    assertThat(a.hasAts()).isFalse();

    InvalidationArray b = InvalidationArray.merge(a, invs1);
    verify(1, b);
    a = InvalidationArray.merge(b, invs2);
    verify(2, a);

    UnrefReport r3 = InvalidationArray.unref(a, invs2);
    verify(3, a);
    verifyWriteBack(3, invs2);
    assertThat(r3).isEqualTo(new UnrefReport(1, 2, List.of()));

    b = InvalidationArray.merge(a, invs3);
    verify(4, b);

    UnrefReport r5 = InvalidationArray.unref(b, invs1);
    verify(5, b);
    verifyWriteBack(5, invs1);
    assertThat(r5.hasWarnings()).isFalse();

    a = InvalidationArray.purge(b);
    assertThat(a).isNotNull();
    verify(6, a);

    InvalidationArray.unref(a, invs3);
    verify(7, a);
    verifyWriteBack(7, invs3);

    b = InvalidationArray.merge(a, invs4);
    verify(8, b);
    a = InvalidationArray.merge(b, invs5);
    verify(9, a);

    InvalidationArray.unref(a, invs5);
    verify(10, a);
    verifyWriteBack(10, invs5);

    b = InvalidationArray.purge(a);
    assertThat(b).isNotNull();
    verify(11, b);
    assertThat(vectors.get("sequence").size()).isEqualTo(12);
  }

  @Test
  void purgeReturnsNullWhenThereIsNothingToDrop() {
    assertThat(InvalidationArray.purge(InvalidationArray.empty())).isNull();
    InvalidationArray merged = InvalidationArray.merge(InvalidationArray.empty(), input("invs1"));
    assertThat(InvalidationArray.purge(merged)).isNull();
    InvalidationArray.unref(merged, input("invs1"));
    assertThat(merged.numInvs()).isZero();
    assertThat(InvalidationArray.purge(merged)).isNull();
  }
}
