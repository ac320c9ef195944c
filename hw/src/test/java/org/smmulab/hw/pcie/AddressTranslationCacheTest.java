package org.smmulab.hw.pcie;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.smmulab.hw.smmu.txn.Permissions;

class AddressTranslationCacheTest {
  private static final Permissions RW =
      new Permissions(Permissions.READ_UNPRIV | Permissions.WRITE_UNPRIV);

  private static AtcEntry page(boolean pasidValid, int pasid, boolean global, long iova) {
    return new AtcEntry(pasidValid, pasid, global, iova, 12, 0x8000_0000L + iova, RW);
  }

  private static AddressTranslationCache filled() {
    AddressTranslationCache atc = new AddressTranslationCache(64, 1);
    atc.insert(page(false, 0, false, 0x1000), 0);
    atc.insert(page(true, 5, false, 0x1000), 0);
    atc.insert(page(true, 6, false, 0x1000), 0);
    atc.insert(page(true, 7, true, 0x1000), 0);
    atc.insert(page(false, 0, false, 0x20_0000), 0);
    return atc;
  }

  @Test
  void lookupMatchesPasidOrGlobal() {
    AddressTranslationCache atc = filled();
    assertThat(atc.lookup(false, 0, 0x1234).pasidValid()).isFalse();
    assertThat(atc.lookup(true, 5, 0x1234).pasid()).isEqualTo(5);
    assertThat(atc.lookup(true, 9, 0x1234).global()).as("a global entry serves PASID 9").isTrue();
    assertThat(atc.lookup(true, 9, 0x20_0000)).isNull();
    assertThat(atc.lookup(false, 0, 0x1000).translate(0x1abc)).isEqualTo(0x8000_1abcL);
  }

  @Test
  void invalidationWithoutPasidRemovesEveryEntryInTheRange() {
    AddressTranslationCache atc = filled();
    assertThat(atc.invalidate(false, 0, false, 0x1000, 0)).isEqualTo(4);
    assertThat(atc.entries()).extracting(AtcEntry::inputBase).containsExactly(0x20_0000L);
  }

  @Test
  void invalidationWithPasidSparesOtherPasidsUnlessGlobal() {
    AddressTranslationCache atc = filled();
    assertThat(atc.invalidate(true, 5, false, 0x1000, 0)).isEqualTo(1);
    assertThat(atc.lookup(true, 6, 0x1000).pasid()).isEqualTo(6);
    assertThat(atc.lookup(false, 0, 0x1000)).isNotNull();
    assertThat(atc.invalidate(true, 6, true, 0x1000, 0))
        .as("PASID 6 and the global entry of PASID 7")
        .isEqualTo(2);
    assertThat(atc.entries()).hasSize(2);
  }

  @Test
  void rangeIsAlignedDownToItsSize() {
    AddressTranslationCache atc = filled();
    // 2^9 pages = 2 MiB from 0x3000 aligned down to 0: covers 0x1000 but not 0x200000.
    assertThat(atc.invalidate(false, 0, false, 0x3000, 9)).isEqualTo(4);
    assertThat(atc.invalidate(false, 0, false, 0, 0)).isZero();
    assertThat(atc.invalidate(false, 0, false, 0, AddressTranslationCache.SIZE_ALL)).isEqualTo(1);
    assertThat(atc.entries()).isEmpty();
  }

  @Test
  void aCompletionOlderThanAnInvalidationIsDropped() {
    AddressTranslationCache atc = new AddressTranslationCache(4, 1);
    long started = atc.generation();
    atc.invalidate(false, 0, false, 0, AddressTranslationCache.SIZE_ALL);
    assertThat(atc.insert(page(false, 0, false, 0x1000), started)).isFalse();
    assertThat(atc.entries()).isEmpty();
    assertThat(atc.statistics().staleInsertsDropped()).isEqualTo(1);
    assertThat(atc.insert(page(false, 0, false, 0x1000), atc.generation())).isTrue();
  }

  @Test
  void fullCacheEvictsOneEntry() {
    AddressTranslationCache atc = new AddressTranslationCache(2, 7);
    for (long i = 0; i < 5; i++) {
      atc.insert(page(false, 0, false, i << 12), 0);
    }
    assertThat(atc.entries()).hasSize(2);
    assertThat(atc.statistics().evictions()).isEqualTo(3);
    assertThat(atc.statistics().inserts()).isEqualTo(5);
    int served = 0;
    for (long i = 0; i < 5; i++) {
      if (atc.lookup(false, 0, i << 12) != null) {
        served++;
      }
    }
    assertThat(served).as("evicted entries are not served").isEqualTo(2);
    assertThat(atc.statistics().hits()).isEqualTo(2);
    assertThat(atc.statistics().misses()).isEqualTo(3);
  }

  @Test
  void noLookupServesAnEntryOnceTheInvalidationRemovingItHasReturned() throws Exception {
    AddressTranslationCache atc = new AddressTranslationCache(8, 3);
    int rounds = 20_000;
    AtomicLong invalidatedUpTo = new AtomicLong(-1);
    AtomicReference<String> failure = new AtomicReference<>();
    Thread reader =
        new Thread(
            () -> {
              while (invalidatedUpTo.get() < rounds - 1 && failure.get() == null) {
                long removed = invalidatedUpTo.get();
                AtcEntry e = atc.lookup(false, 0, 0x5000);
                long round = e == null ? Long.MAX_VALUE : e.translate(0x5000) >>> 20;
                if (round <= removed) {
                  failure.set("round " + round + " served after round " + removed + " was removed");
                }
              }
            });
    reader.start();
    for (long r = 0; r < rounds && failure.get() == null; r++) {
      long generation = atc.generation();
      assertThat(atc.insert(new AtcEntry(false, 0, false, 0x5000, 12, r << 20, RW), generation))
          .isTrue();
      atc.invalidate(false, 0, false, 0x5000, 0);
      invalidatedUpTo.set(r);
    }
    reader.join();
    assertThat(failure.get()).isNull();
    assertThat(atc.entries()).isEmpty();
  }

  @Test
  void capacityMustBePositive() {
    assertThatThrownBy(() -> new AddressTranslationCache(0, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
