package org.smmulab.driver.tags;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.smmulab.arch.cmd.Command;
import org.smmulab.arch.cmd.Opcode;
import org.smmulab.driver.invs.Invalidation;
import org.smmulab.driver.invs.InvalidationArray;
import org.smmulab.driver.invs.InvalidationType;
import org.smmulab.driver.invs.SmmuId;

class CacheTagsTest {
  private static final SmmuId SMMU0 = new SmmuId(0);
  private static final SmmuId SMMU1 = new SmmuId(1);

  private final ReentrantLock tagLock = new ReentrantLock();
  private final List<Command> sent = new ArrayList<>();
  private boolean flushesComplete = true;
  private final TagFlushQueue queues =
      (smmu, command) -> {
        sent.add(command);
        return flushesComplete;
      };

  @BeforeEach
  void lock() {
    tagLock.lock();
  }

  @AfterEach
  void unlock() {
    tagLock.unlock();
  }

  private CacheTags tags(AsidSpace space) {
    CacheTags tags = new CacheTags(tagLock, space, queues);
    tags.addInstance(SMMU0, 16, 16, false);
    tags.addInstance(SMMU1, 8, 8, true);
    return tags;
  }

  private AtomicReference<InvalidationArray> emptyDomain() {
    return new AtomicReference<>(InvalidationArray.empty(tagLock));
  }

  private static void install(AtomicReference<InvalidationArray> domain, Invalidation entry) {
    domain.set(InvalidationArray.merge(domain.get(), InvalidationArray.of(entry)));
  }

  @Test
  void getAllocatesLowestFreeIdAndFindSeesItOnceInstalled() throws Exception {
    CacheTags tags = tags(AsidSpace.PER_INSTANCE);
    var a = emptyDomain();
    var b = emptyDomain();

    assertThat(tags.findCacheTag(a, InvalidationType.S1_ASID, SMMU0)).isNull();
    CacheTag tagA = tags.getCacheTag(a, InvalidationType.S1_ASID, SMMU0);
    assertThat(tagA).isEqualTo(new CacheTag(SMMU0, InvalidationType.S1_ASID, 1, 0));
    assertThat(tagA.fresh()).isTrue();
    install(a, Invalidation.s1Asid(SMMU0, tagA.id(), 0, false));

    assertThat(tags.getCacheTag(a, InvalidationType.S1_ASID, SMMU0))
        .isEqualTo(new CacheTag(SMMU0, InvalidationType.S1_ASID, 1, 1));
    assertThat(tags.getCacheTag(b, InvalidationType.S1_ASID, SMMU0).id()).isEqualTo(2);
    assertThat(tags.usage(SMMU0)).isEqualTo(new CacheTags.TagUsage(2, 0, 0));
  }

  @Test
  void perInstanceSpacesGiveTheSameIdOnEachInstanceAGlobalSpaceDoesNot() throws Exception {
    CacheTags perInstance = tags(AsidSpace.PER_INSTANCE);
    var d = emptyDomain();
    assertThat(perInstance.getCacheTag(d, InvalidationType.S1_ASID, SMMU0).id()).isEqualTo(1);
    assertThat(perInstance.getCacheTag(d, InvalidationType.S1_ASID, SMMU1).id()).isEqualTo(1);

    CacheTags global = tags(AsidSpace.GLOBAL);
    assertThat(global.getCacheTag(d, InvalidationType.S1_ASID, SMMU0).id()).isEqualTo(1);
    assertThat(global.getCacheTag(d, InvalidationType.S1_ASID, SMMU1).id()).isEqualTo(2);
    assertThat(global.getCacheTag(d, InvalidationType.S2_VMID, SMMU1).id())
        .as("VMIDs stay per instance")
        .isEqualTo(1);
  }

  @Test
  void freeFlushesBeforeReleasingAndTheIdIsReusedAtOnce() throws Exception {
    CacheTags tags = tags(AsidSpace.PER_INSTANCE);
    var d = emptyDomain();
    CacheTag s1 = tags.getCacheTag(d, InvalidationType.S1_ASID, SMMU0);
    CacheTag s2 = tags.getCacheTag(d, InvalidationType.S2_VMID, SMMU0);
    CacheTag el2 = tags.getCacheTag(d, InvalidationType.S1_ASID, SMMU1);

    assertThat(tags.freeCacheTag(s1, true)).isTrue();
    assertThat(tags.freeCacheTag(s2, true)).isTrue();
    assertThat(tags.freeCacheTag(el2, true)).isTrue();

    assertThat(sent)
        .extracting(Command::opcode)
        .containsExactly(Opcode.TLBI_NH_ASID, Opcode.TLBI_S12_VMALL, Opcode.TLBI_EL2_ASID);
    assertThat(sent.get(0).asid()).isEqualTo(1);
    assertThat(sent.get(0).vmid()).isZero();
    assertThat(sent.get(1).vmid()).isEqualTo(1);
    assertThat(tags.isAllocated(SMMU0, InvalidationType.S1_ASID, 1)).isFalse();
    assertThat(tags.getCacheTag(emptyDomain(), InvalidationType.S1_ASID, SMMU0).id()).isEqualTo(1);
  }

  @Test
  void aTagWhoseFlushDidNotCompleteIsQuarantinedNotReused() throws Exception {
    CacheTags tags = tags(AsidSpace.PER_INSTANCE);
    CacheTag dying = tags.getCacheTag(emptyDomain(), InvalidationType.S1_ASID, SMMU0);
    flushesComplete = false;

    assertThat(tags.freeCacheTag(dying, true)).isFalse();

    assertThat(sent).extracting(Command::opcode).containsExactly(Opcode.TLBI_NH_ASID);
    assertThat(tags.isAllocated(SMMU0, InvalidationType.S1_ASID, 1)).isTrue();
    assertThat(tags.usage(SMMU0)).isEqualTo(new CacheTags.TagUsage(1, 0, 1));
    flushesComplete = true;
    assertThat(tags.getCacheTag(emptyDomain(), InvalidationType.S1_ASID, SMMU0).id())
        .as("the next domain must not get the id whose flush is unconfirmed")
        .isEqualTo(2);
  }

  @Test
  void aFreshTagFreedOnAnErrorPathSendsNothing() throws Exception {
    CacheTags tags = tags(AsidSpace.PER_INSTANCE);
    CacheTag fresh = tags.getCacheTag(emptyDomain(), InvalidationType.S2_VMID, SMMU0);
    tags.freeCacheTag(fresh, false);
    assertThat(sent).isEmpty();
    assertThat(tags.usage(SMMU0)).isEqualTo(new CacheTags.TagUsage(0, 0, 0));
  }

  @Test
  void exhaustionFailsCleanlyWithAClearMessage() throws Exception {
    CacheTags tags = tags(AsidSpace.PER_INSTANCE);
    for (int i = 1; i <= 255; i++) {
      assertThat(tags.getCacheTag(emptyDomain(), InvalidationType.S2_VMID, SMMU1).id())
          .isEqualTo(i);
    }
    assertThatThrownBy(() -> tags.getCacheTag(emptyDomain(), InvalidationType.S2_VMID, SMMU1))
        .isInstanceOf(TagExhaustedException.class)
        .hasMessageContaining("VMID")
        .hasMessageContaining("smmu1")
        .hasMessageContaining("255");
    assertThat(tags.usage(SMMU1).vmids()).isEqualTo(255);
    assertThat(tags.getCacheTag(emptyDomain(), InvalidationType.S2_VMID, SMMU0).id()).isEqualTo(1);
  }

  @Test
  void onlyTagTypesAndKnownInstancesAreAccepted() {
    CacheTags tags = tags(AsidSpace.PER_INSTANCE);
    assertThatThrownBy(() -> tags.getCacheTag(emptyDomain(), InvalidationType.ATS, SMMU0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> tags.getCacheTag(emptyDomain(), InvalidationType.S1_ASID, new SmmuId(9)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> tags.addInstance(SMMU0, 16, 16, false))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void everyOperationAssertsTheTagLock() {
    CacheTags tags = tags(AsidSpace.PER_INSTANCE);
    var d = emptyDomain();
    tagLock.unlock();
    try {
      assertThatThrownBy(() -> tags.findCacheTag(d, InvalidationType.S1_ASID, SMMU0))
          .isInstanceOf(AssertionError.class);
      assertThatThrownBy(() -> tags.getCacheTag(d, InvalidationType.S1_ASID, SMMU0))
          .isInstanceOf(AssertionError.class);
      assertThatThrownBy(
              () -> tags.freeCacheTag(new CacheTag(SMMU0, InvalidationType.S1_ASID, 1, 1), true))
          .isInstanceOf(AssertionError.class);
    } finally {
      tagLock.lock();
    }
  }
}
