package org.smmulab.hw.smmu.tlb;

import org.smmulab.arch.cmd.Command;
import org.smmulab.arch.cmd.Opcode;
import org.smmulab.arch.cmd.TlbiRange;
import org.smmulab.arch.pte.Granule;
import org.smmulab.hw.smmu.tlb.CacheTag.Kind;
import org.smmulab.hw.smmu.tlb.CacheTag.World;

/**
 * Which TLB and walk-cache entries one TLBI command removes, decided per entry. Immutable.
 *
 * <p>The scopes, by command:
 *
 * <ul>
 *   <li>TLBI_NH_ALL: NS-EL1 stage-1 and nested entries of the VMID, any ASID, global or not; pure
 *       stage-2 entries stay.
 *   <li>TLBI_NH_ASID: NS-EL1 stage-1 and nested entries of the VMID and ASID that are not global.
 *   <li>TLBI_NH_VA: NS-EL1 stage-1 and nested entries of the VMID whose ASID matches or that are
 *       global, overlapping the address or range; TLBI_NH_VAA the same for every ASID.
 *   <li>TLBI_EL2_ALL, _ASID, _VA, _VAA: the same scopes in the EL2 world, which has no VMID.
 *   <li>TLBI_S12_VMALL: every NS-EL1 entry of the VMID, of every kind.
 *   <li>TLBI_S2_IPA: pure stage-2 entries of the VMID overlapping the IPA or range; nested entries
 *       survive (software follows with TLBI_NH_ALL).
 *   <li>TLBI_NSNH_ALL: every NS-EL1 and EL2 entry.
 *   <li>TLBI_EL3_ALL and TLBI_EL3_VA: nothing, as no EL3 (Secure) translations are cached; every
 *       other command (and a reserved opcode) removes nothing either.
 * </ul>
 *
 * <p>Addresses: with TG = 0 the command hits every entry whose span contains ADDR (a 2 MiB block
 * containing it goes even if ADDR is not its base); with TG = 1/2/3 it hits every entry overlapping
 * {@code [ADDR, ADDR + (NUM+1) * 2^SCALE * granule)}, including blocks that only partly overlap. A
 * range that would pass 2^64 ends there. Table (walk-cache) entries overlapping the same addresses
 * go too unless LEAF = 1.
 *
 * <p>TTL: the architecture lets an implementation keep entries that do not match a range command's
 * TTL hint. With {@code strictTtl} this scope does so: a hint of level n removes only leaves of
 * level n in the TG granule and only tables above level n, which exposes drivers whose hints are
 * wrong. Without it the hint is ignored. A TTL with TG = 0 is always ignored (the single-address
 * form carries no hint).
 */
public final class InvalidationScope {
  /** Which entry kinds a scope reaches. */
  private enum Kinds {
    NONE,
    STAGE1_AND_NESTED,
    STAGE2,
    ALL
  }

  /** How a scope matches ASIDs. */
  private enum AsidMatch {
    ANY,
    EQUAL_NOT_GLOBAL,
    EQUAL_OR_GLOBAL
  }

  /** The scope of every command that removes nothing. */
  public static final InvalidationScope NOTHING =
      new InvalidationScope(null, Kinds.NONE, false, 0, AsidMatch.ANY, 0, null, false);

  private final World world;
  private final Kinds kinds;
  private final boolean matchVmid;
  private final int vmid;
  private final AsidMatch asidMatch;
  private final int asid;
  private final TlbiRange range;
  private final long first;
  private final long last;
  private final boolean leafOnly;
  private final int ttl;
  private final Granule ttlGranule;

  private InvalidationScope(
      World world,
      Kinds kinds,
      boolean matchVmid,
      int vmid,
      AsidMatch asidMatch,
      int asid,
      TlbiRange range,
      boolean strictTtl) {
    this.world = world;
    this.kinds = kinds;
    this.matchVmid = matchVmid;
    this.vmid = vmid;
    this.asidMatch = asidMatch;
    this.asid = asid;
    this.range = range;
    if (range == null) {
      first = 0;
      last = -1L;
      leafOnly = false;
      ttl = 0;
      ttlGranule = null;
    } else {
      first = range.address();
      if (range.isRange()) {
        long bytes = range.pages() << range.granule().shift();
        long end = first + bytes - 1;
        last = Long.compareUnsigned(end, first) < 0 ? -1L : end;
      } else {
        last = first;
      }
      leafOnly = range.leaf();
      boolean hinted = strictTtl && range.isRange() && range.ttl() != 0;
      ttl = hinted ? range.ttl() : 0;
      ttlGranule = hinted ? range.granule() : null;
    }
  }

  /**
   * The scope of {@code command}; {@link #NOTHING} for commands that do not touch the TLB.
   *
   * @param strictTtl the {@code strictTtl} model knob: whether TTL hints are honoured
   */
  public static InvalidationScope of(Command command, boolean strictTtl) {
    Opcode op = command.opcode();
    if (op == null) {
      return NOTHING;
    }
    return switch (op) {
      case TLBI_NH_ALL -> scope(World.NS_EL1, Kinds.STAGE1_AND_NESTED, true, command.vmid());
      case TLBI_NH_ASID ->
          new InvalidationScope(
              World.NS_EL1,
              Kinds.STAGE1_AND_NESTED,
              true,
              command.vmid(),
              AsidMatch.EQUAL_NOT_GLOBAL,
              command.asid(),
              null,
              false);
      case TLBI_NH_VA ->
          new InvalidationScope(
              World.NS_EL1,
              Kinds.STAGE1_AND_NESTED,
              true,
              command.vmid(),
              AsidMatch.EQUAL_OR_GLOBAL,
              command.asid(),
              command.tlbiRange(),
              strictTtl);
      case TLBI_NH_VAA ->
          new InvalidationScope(
              World.NS_EL1,
              Kinds.STAGE1_AND_NESTED,
              true,
              command.vmid(),
              AsidMatch.ANY,
              0,
              command.tlbiRange(),
              strictTtl);
      case TLBI_EL2_ALL -> scope(World.EL2, Kinds.ALL, false, 0);
      case TLBI_EL2_ASID ->
          new InvalidationScope(
              World.EL2,
              Kinds.ALL,
              false,
              0,
              AsidMatch.EQUAL_NOT_GLOBAL,
              command.asid(),
              null,
              false);
      case TLBI_EL2_VA ->
          new InvalidationScope(
              World.EL2,
              Kinds.ALL,
              false,
              0,
              AsidMatch.EQUAL_OR_GLOBAL,
              command.asid(),
              command.tlbiRange(),
              strictTtl);
      case TLBI_EL2_VAA ->
          new InvalidationScope(
              World.EL2, Kinds.ALL, false, 0, AsidMatch.ANY, 0, command.tlbiRange(), strictTtl);
      case TLBI_S12_VMALL -> scope(World.NS_EL1, Kinds.ALL, true, command.vmid());
      case TLBI_S2_IPA ->
          new InvalidationScope(
              World.NS_EL1,
              Kinds.STAGE2,
              true,
              command.vmid(),
              AsidMatch.ANY,
              0,
              command.tlbiRange(),
              strictTtl);
      case TLBI_NSNH_ALL -> scope(null, Kinds.ALL, false, 0);
      default -> NOTHING;
    };
  }

  private static InvalidationScope scope(World world, Kinds kinds, boolean matchVmid, int vmid) {
    return new InvalidationScope(world, kinds, matchVmid, vmid, AsidMatch.ANY, 0, null, false);
  }

  /** Whether the scope removes nothing at all (EL3 and non-TLBI commands). */
  public boolean isEmpty() {
    return kinds == Kinds.NONE;
  }

  private static final Kind[] STAGE1_AND_NESTED_KINDS = {Kind.STAGE1, Kind.NESTED};
  private static final Kind[] STAGE2_KINDS = {Kind.STAGE2};

  /**
   * The entry kinds whose buckets an addressed scope must probe, or {@code null} when the scope
   * cannot be answered by probing addresses: no address range, no single world, or no single VMID
   * (the cache key holds world, kind, VMID, size and page, so a scope that fixes all but size and
   * page can find its entries through their buckets).
   */
  Kind[] probedKinds() {
    if (range == null || world == null || !matchVmid) {
      return null;
    }
    return switch (kinds) {
      case STAGE1_AND_NESTED -> STAGE1_AND_NESTED_KINDS;
      case STAGE2 -> STAGE2_KINDS;
      default -> null;
    };
  }

  /** Whether the scope can remove walk-cache entries at all (not a LEAF = 1 address scope). */
  boolean reachesTables() {
    return !(range != null && leafOnly);
  }

  /** The world of a scope with {@link #probedKinds()}. */
  World world() {
    return world;
  }

  /** The VMID of a scope with {@link #probedKinds()}. */
  int vmid() {
    return vmid;
  }

  /** The first input address the scope covers (0 without a range). */
  long first() {
    return first;
  }

  /** The last input address the scope covers, inclusive and unsigned. */
  long last() {
    return last;
  }

  /** Whether the command removes the leaf entry {@code entry}. */
  public boolean removes(TlbEntry entry) {
    if (!matchesTag(entry.tag()) || !overlaps(entry.inputBase(), entry.sizeShift())) {
      return false;
    }
    return ttl == 0 || (entry.level() == ttl && entry.granule() == ttlGranule);
  }

  /** Whether the command removes the walk-cache entry {@code entry}. */
  public boolean removes(WalkCacheEntry entry) {
    if (range != null && leafOnly) {
      return false;
    }
    if (!matchesTag(entry.tag()) || !overlaps(entry.inputBase(), entry.sizeShift())) {
      return false;
    }
    return ttl == 0 || entry.level() < ttl;
  }

  private boolean matchesTag(CacheTag tag) {
    if (world != null && tag.world() != world) {
      return false;
    }
    boolean kindMatches =
        switch (kinds) {
          case NONE -> false;
          case STAGE1_AND_NESTED -> tag.kind() != Kind.STAGE2;
          case STAGE2 -> tag.kind() == Kind.STAGE2;
          case ALL -> true;
        };
    if (!kindMatches || (matchVmid && tag.vmid() != vmid)) {
      return false;
    }
    return switch (asidMatch) {
      case ANY -> true;
      case EQUAL_NOT_GLOBAL -> !tag.global() && tag.asid() == asid;
      case EQUAL_OR_GLOBAL -> tag.global() || tag.asid() == asid;
    };
  }

  private boolean overlaps(long inputBase, int sizeShift) {
    if (range == null) {
      return true;
    }
    long mask = sizeShift >= 64 ? -1L : (1L << sizeShift) - 1;
    long entryFirst = inputBase & ~mask;
    long entryLast = entryFirst | mask;
    return Long.compareUnsigned(entryFirst, last) <= 0
        && Long.compareUnsigned(first, entryLast) <= 0;
  }

  @Override
  public String toString() {
    if (isEmpty()) {
      return "nothing";
    }
    StringBuilder s = new StringBuilder(world == null ? "NS_EL1+EL2" : world.name());
    s.append(' ').append(kinds);
    if (matchVmid) {
      s.append(" vmid=").append(vmid);
    }
    if (asidMatch != AsidMatch.ANY) {
      s.append(' ').append(asidMatch).append(" asid=").append(asid);
    }
    if (range != null) {
      s.append(String.format(" [0x%x..0x%x]", first, last));
      s.append(leafOnly ? " leaf" : " leaf+table");
      if (ttl != 0) {
        s.append(" ttl=").append(ttl).append('/').append(ttlGranule);
      }
    }
    return s.toString();
  }
}
