package org.smmulab.driver.invs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Test helpers: an order key written independently of the comparator, and list builders. */
final class Entries {
  private Entries() {}

  /** The sort key spelled out by hand: smmu, type rank, unsigned id, ssid for ATS types only. */
  record Key(int smmu, int typeRank, long id, long ssid) implements Comparable<Key> {
    static Key of(Invalidation inv) {
      boolean ats = inv.type() == InvalidationType.ATS || inv.type() == InvalidationType.ATS_FULL;
      return new Key(
          inv.smmu().index(),
          rank(inv.type()),
          Integer.toUnsignedLong(inv.id()),
          ats ? Integer.toUnsignedLong(inv.ssid()) : 0);
    }

    private static int rank(InvalidationType type) {
      return switch (type) {
        case S1_ASID -> 0;
        case S2_VMID -> 1;
        case S2_VMID_VSMMU -> 2;
        case S2_VMID_S1_CLEAR -> 3;
        case ATS -> 4;
        case ATS_FULL -> 5;
      };
    }

    @Override
    public int compareTo(Key o) {
      int c = Integer.compare(smmu, o.smmu);
      if (c == 0) {
        c = Integer.compare(typeRank, o.typeRank);
      }
      if (c == 0) {
        c = Long.compare(id, o.id);
      }
      return c != 0 ? c : Long.compare(ssid, o.ssid);
    }
  }

  /** An entry of the given type built by the matching factory. */
  static Invalidation make(int smmu, InvalidationType type, int id, int ssid) {
    SmmuId s = new SmmuId(smmu);
    return switch (type) {
      case S1_ASID -> Invalidation.s1Asid(s, id, 12, false);
      case S2_VMID -> Invalidation.s2Vmid(s, id, 12);
      case S2_VMID_VSMMU -> Invalidation.s2VmidVsmmu(s, id, 12);
      case S2_VMID_S1_CLEAR -> Invalidation.s2VmidS1Clear(s, id);
      case ATS -> Invalidation.ats(s, id, ssid);
      case ATS_FULL -> Invalidation.atsFull(s, id, ssid);
    };
  }

  /** A fresh per-master list: one new entry per key, sorted by the hand-written key order. */
  static InvalidationArray list(List<Invalidation> entries) {
    TreeMap<Key, Invalidation> byKey = new TreeMap<>();
    for (Invalidation e : entries) {
      byKey.putIfAbsent(Key.of(e), e);
    }
    List<Invalidation> fresh = new ArrayList<>();
    byKey.values().forEach(e -> fresh.add(make(e.smmu().index(), e.type(), e.id(), e.ssid())));
    return InvalidationArray.of(fresh.toArray(Invalidation[]::new));
  }

  /** The live content (users != 0) of an array, as key to users, in slot order. */
  static List<Map.Entry<Key, Integer>> live(InvalidationArray array) {
    List<Map.Entry<Key, Integer>> out = new ArrayList<>();
    for (Invalidation inv : array.slots()) {
      if (inv.users() != 0) {
        out.add(Map.entry(Key.of(inv), inv.users()));
      }
    }
    return out;
  }

  /** A model's content in key order, without zero counts. */
  static List<Map.Entry<Key, Integer>> content(TreeMap<Key, Integer> model) {
    List<Map.Entry<Key, Integer>> out = new ArrayList<>();
    model.forEach(
        (k, v) -> {
          if (v != 0) {
            out.add(Map.entry(k, v));
          }
        });
    return out;
  }
}
