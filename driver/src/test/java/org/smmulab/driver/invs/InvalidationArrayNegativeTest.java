package org.smmulab.driver.invs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.smmulab.arch.cmd.Opcode;

/** Bad input, missing entries, the lock assertion and the entry's own checks. */
class InvalidationArrayNegativeTest {
  private static final SmmuId S0 = new SmmuId(0);

  @Test
  void unsortedListToMergeIsRejectedNamingTheEntries() {
    InvalidationArray unsorted =
        InvalidationArray.of(Invalidation.ats(S0, 5, 0), Invalidation.ats(S0, 4, 0));
    assertThatThrownBy(() -> InvalidationArray.merge(InvalidationArray.empty(), unsorted))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("the list to merge is not sorted")
        .hasMessageContaining("slot 0 (smmu0 ATS id=5 ssid=0")
        .hasMessageContaining("slot 1 (smmu0 ATS id=4 ssid=0");
  }

  @Test
  void unsortedBaseIsRejected() {
    Invalidation first = Invalidation.s2Vmid(new SmmuId(1), 1, 0);
    Invalidation second = Invalidation.ats(S0, 4, 0);
    first.setUsersPlain(1);
    second.setUsersPlain(1);
    InvalidationArray base = InvalidationArray.of(first, second);
    InvalidationArray list = InvalidationArray.of(Invalidation.ats(S0, 7, 0));
    assertThatThrownBy(() -> InvalidationArray.merge(base, list))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("the base array is not sorted")
        .hasMessageContaining("smmu1 S2_VMID id=1");
  }

  @Test
  void unrefOfAMissingEntryIsReportedAndChangesNothing() {
    InvalidationArray array =
        InvalidationArray.merge(
            InvalidationArray.empty(),
            InvalidationArray.of(
                Invalidation.s1Asid(S0, 3, 12, false), Invalidation.ats(S0, 8, 1)));
    Invalidation missing = Invalidation.ats(S0, 8, 2);
    missing.setUsersPlain(7);
    UnrefReport report = InvalidationArray.unref(array, InvalidationArray.of(missing));

    assertThat(report.hasWarnings()).isTrue();
    assertThat(report.missing()).containsExactly(missing);
    assertThat(report.released()).isZero();
    assertThat(report.trashed()).isZero();
    assertThat(missing.users()).as("no write-back for a missing entry").isEqualTo(7);
    assertThat(array.numInvs()).isEqualTo(2);
    assertThat(array.numTrashes()).isZero();
    assertThat(array.slots()).extracting(Invalidation::users).containsExactly(1, 1);
  }

  @Test
  void unrefOfATrashEntryIsReportedAsMissing() {
    InvalidationArray both =
        InvalidationArray.of(Invalidation.s2Vmid(S0, 1, 0), Invalidation.ats(S0, 9, 0));
    InvalidationArray array = InvalidationArray.merge(InvalidationArray.empty(), both);
    array = InvalidationArray.merge(array, InvalidationArray.of(Invalidation.ats(S0, 9, 0)));
    InvalidationArray.unref(array, InvalidationArray.of(Invalidation.s2Vmid(S0, 1, 0)));
    assertThat(array.numTrashes()).isEqualTo(1);

    Invalidation again = Invalidation.s2Vmid(S0, 1, 0);
    UnrefReport report = InvalidationArray.unref(array, InvalidationArray.of(again));
    assertThat(report.missing()).containsExactly(again);
    assertThat(array.numInvs()).isEqualTo(2);
    assertThat(array.numTrashes()).isEqualTo(1);
    assertThat(array.slots()).extracting(Invalidation::users).containsExactly(0, 2);
  }

  @Test
  void mutatorsAssertTheTagLock() {
    ReentrantLock tagLock = new ReentrantLock();
    InvalidationArray empty = InvalidationArray.empty(tagLock);
    InvalidationArray list = InvalidationArray.of(Invalidation.ats(S0, 1, 0));

    assertThatThrownBy(() -> InvalidationArray.merge(empty, list))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("merge requires the tag lock");

    InvalidationArray merged;
    tagLock.lock();
    try {
      merged = InvalidationArray.merge(empty, list);
    } finally {
      tagLock.unlock();
    }
    InvalidationArray derived = merged;
    assertThatThrownBy(() -> InvalidationArray.unref(derived, list))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("unref requires the tag lock");
    assertThatThrownBy(() -> InvalidationArray.purge(derived))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("purge requires the tag lock");
    assertThat(derived.slots()).extracting(Invalidation::users).containsExactly(1);
  }

  @Test
  void entryRejectsFieldsItsTypeDoesNotCarry() {
    assertThatThrownBy(
            () ->
                new Invalidation(
                    S0, InvalidationType.ATS, Opcode.ATC_INV, Opcode.ATC_INV, 1, 12, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ATS id 1 carries no page size");
    assertThatThrownBy(
            () ->
                new Invalidation(
                    S0,
                    InvalidationType.S2_VMID,
                    Opcode.TLBI_S2_IPA,
                    Opcode.TLBI_S12_VMALL,
                    1,
                    0,
                    5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("S2_VMID id 1 carries no substream ID");
  }

  @Test
  void entryRejectsWhatItsCommandsCannotCarry() {
    assertThatThrownBy(() -> Invalidation.s1Asid(S0, 0x1_0000, 12, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("S1_ASID id 65536 does not fit a 16-bit ASID or VMID");
    assertThatThrownBy(() -> Invalidation.s2Vmid(S0, -1, 12))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("id 4294967295 does not fit");
    assertThatThrownBy(() -> Invalidation.ats(S0, 3, 0x10_0000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ATS id 3: substream ID 1048576 does not fit 20 bits");
    assertThatThrownBy(
            () ->
                new Invalidation(
                    S0, InvalidationType.S1_ASID, Opcode.TLBI_NH_VA, Opcode.TLBI_EL2_ASID, 1, 0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("S1_ASID id 1 cannot use opcodes TLBI_NH_VA / TLBI_EL2_ASID");
    assertThatThrownBy(
            () ->
                new Invalidation(
                    S0, InvalidationType.S2_VMID, Opcode.TLBI_S2_IPA, Opcode.TLBI_NH_ALL, 1, 0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot use opcodes");
    assertThat(Invalidation.ats(S0, -1, 0xF_FFFF).id())
        .as("a StreamID may use 32 bits")
        .isEqualTo(-1);
  }

  @Test
  void lockHoldersReadPlainlyAndTheReadsAssertTheLock() {
    ReentrantLock tagLock = new ReentrantLock();
    InvalidationArray array;
    InvalidationArray list = InvalidationArray.of(Invalidation.s1Asid(S0, 4, 12, false));
    tagLock.lock();
    try {
      array =
          InvalidationArray.merge(
              InvalidationArray.merge(InvalidationArray.empty(tagLock), list), list);
      assertThat(array.numInvsLocked()).isEqualTo(1);
      assertThat(array.entryLocked(0).id()).isEqualTo(4);
      assertThat(array.usersLocked(0)).isEqualTo(2);
      InvalidationArray.unref(array, list);
      assertThat(list.usersLocked(0)).as("unref's write-back: still used").isEqualTo(1);
      InvalidationArray locked = array;
      assertThatThrownBy(() -> locked.entryLocked(1)).isInstanceOf(IndexOutOfBoundsException.class);
    } finally {
      tagLock.unlock();
    }
    InvalidationArray unlocked = array;
    assertThatThrownBy(unlocked::numInvsLocked)
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("numInvsLocked requires the tag lock");
    assertThatThrownBy(() -> unlocked.usersLocked(0))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("entryLocked requires the tag lock");
  }

  @Test
  void typeOrderAndOpcodesFollowTheKernel() {
    assertThat(InvalidationType.values())
        .containsExactly(
            InvalidationType.S1_ASID,
            InvalidationType.S2_VMID,
            InvalidationType.S2_VMID_VSMMU,
            InvalidationType.S2_VMID_S1_CLEAR,
            InvalidationType.ATS,
            InvalidationType.ATS_FULL);
    assertThat(List.of(InvalidationType.values()).stream().filter(InvalidationType::isAts))
        .containsExactly(InvalidationType.ATS, InvalidationType.ATS_FULL);
    Invalidation el2 = Invalidation.s1Asid(S0, 1, 12, true);
    assertThat(el2.sizeOpcode().value()).isEqualTo(0x22);
    assertThat(el2.nsizeOpcode().value()).isEqualTo(0x21);
    Invalidation nh = Invalidation.s1Asid(S0, 1, 12, false);
    assertThat(nh.sizeOpcode().value()).isEqualTo(0x12);
    assertThat(nh.nsizeOpcode().value()).isEqualTo(0x11);
    Invalidation s2 = Invalidation.s2Vmid(S0, 1, 12);
    assertThat(s2.sizeOpcode().value()).isEqualTo(0x2a);
    assertThat(s2.nsizeOpcode().value()).isEqualTo(0x28);
    Invalidation clear = Invalidation.s2VmidS1Clear(S0, 1);
    assertThat(clear.sizeOpcode().value()).isEqualTo(0x10);
    assertThat(clear.nsizeOpcode().value()).isEqualTo(0x10);
    assertThat(Invalidation.atsFull(S0, 1, 0).nsizeOpcode().value()).isEqualTo(0x40);
  }

  @Test
  void comparatorUsesUnsignedIdsAndSsidOnlyForAts() {
    assertThat(Invalidation.compare(Invalidation.ats(S0, -1, 0), Invalidation.ats(S0, 1, 0)))
        .isPositive();
    assertThat(Invalidation.compare(Invalidation.ats(S0, 1, 2), Invalidation.ats(S0, 1, 1)))
        .isPositive();
    assertThat(Invalidation.compare(Invalidation.s2Vmid(S0, 1, 12), Invalidation.s2Vmid(S0, 1, 16)))
        .isZero();
    assertThat(
            Invalidation.compare(
                Invalidation.ats(new SmmuId(0), 9, 9),
                Invalidation.s1Asid(new SmmuId(1), 0, 0, false)))
        .isNegative();
  }
}
