package org.smmulab.hw.smmu.walk;

import org.smmulab.arch.bus.BusAbort;
import org.smmulab.arch.bus.Memory;
import org.smmulab.arch.event.EventType;
import org.smmulab.arch.pte.Granule;
import org.smmulab.arch.pte.LpaeDescriptor;
import org.smmulab.hw.smmu.tlb.TranslationCaches;
import org.smmulab.hw.smmu.tlb.WalkCacheEntry;
import org.smmulab.hw.smmu.txn.TranslationFault;

/**
 * Follows descriptors from a regime's root table (or from the deepest usable walk-cache entry) down
 * to a block or page, for one stage. Per level:
 *
 * <ol>
 *   <li>index the table with the input bits of the level (the root level takes every bit above the
 *       next level, so a stage-2 root may span up to 16 concatenated tables);
 *   <li>translate the descriptor address (nested stage 1) and read it; a bus abort is F_WALK_EABT
 *       with the fetch address;
 *   <li>classify it with {@link LpaeDescriptor#kindOf}: invalid or reserved (including a block
 *       where the granule allows none) is F_TRANSLATION;
 *   <li>a table: its next-table address at or above the output size is F_ADDR_SIZE; otherwise the
 *       hierarchical bits are accumulated, the descriptor is offered to the walk cache, and the
 *       walk descends;
 *   <li>a leaf: output at or above the output size is F_ADDR_SIZE, then AF = 0 is F_ACCESS unless
 *       disabled. This follows the architecture's priority (address size before access flag before
 *       permission); permissions are checked by the caller, which knows the access.
 * </ol>
 *
 * <p>A walk-cache entry is used only if it matches the regime's granule and lies between its start
 * level and level 2, so a stale entry from another configuration cannot send the walk off the
 * geometry. For a nested stage 1 the cached table address is the IPA found in the descriptor (each
 * descriptor fetch is still translated through stage 2), since a stage-1 table need not sit in one
 * stage-2 page.
 */
final class LevelWalk {
  private final Memory memory;
  private final TranslationCaches caches;
  private final long generation;
  private final FaultReporter faults;

  /**
   * @param generation the caches' generation read before the walk began, passed to every insert
   */
  LevelWalk(Memory memory, TranslationCaches caches, long generation, FaultReporter faults) {
    this.memory = memory;
    this.caches = caches;
    this.generation = generation;
    this.faults = faults;
  }

  /**
   * Walks {@code address} (already checked against the regime's input range) to its leaf.
   *
   * <p>An invalid descriptor (F_TRANSLATION, what a device reaching an unmapped page meets) is not
   * thrown: it is kept by the walk's {@link FaultReporter} and signalled by a {@code null} result,
   * which the caller turns into its own result or throws ({@link FaultReporter#denial()}). Throwing
   * it from this loop would unwind through several compiled frames, far dearer than the walk. Every
   * other fault is thrown.
   *
   * @param tables maps descriptor addresses to physical addresses
   * @param faultIpa the IPA reported by stage-2 faults of this walk
   * @return the leaf, or {@code null} after an invalid descriptor
   */
  Leaf walk(Regime regime, long address, TableAddressTranslator tables, long faultIpa)
      throws TranslationFault {
    Granule granule = regime.granule();
    int level = regime.startLevel();
    long table = regime.rootTable();
    int apTable = 0;
    boolean pxnTable = false;
    boolean uxnTable = false;

    WalkCacheEntry cached = caches.lookupTable(regime.walkCacheTag(), address);
    if (usable(cached, regime, address)) {
      level = cached.level() + 1;
      table = cached.tableAddress();
      apTable = cached.apTable();
      pxnTable = cached.pxnTable();
      uxnTable = cached.uxnTable();
    }

    while (true) {
      int indexBits = level == regime.startLevel() ? regime.rootIndexBits() : granule.stride();
      long index = (address >>> granule.levelShift(level)) & ((1L << indexBits) - 1);
      long descriptorAddress = tables.toPhysical(table + index * 8);
      long raw = read(regime, descriptorAddress, level);

      switch (LpaeDescriptor.kindOf(raw, level, granule)) {
        case TABLE:
          long next = LpaeDescriptor.address(raw, granule);
          if (regime.exceedsOutput(next)) {
            throw fault(regime, EventType.F_ADDR_SIZE, faultIpa, level, "next table beyond size");
          }
          if (regime.hierarchicalAttributes()) {
            apTable |= (int) LpaeDescriptor.AP_TABLE.extract(raw);
            pxnTable |= LpaeDescriptor.PXN_TABLE.extract(raw) != 0;
            uxnTable |= LpaeDescriptor.UXN_TABLE.extract(raw) != 0;
          }
          if (caches.cachesTables()) {
            int shift = granule.levelShift(level);
            caches.insertTable(
                new WalkCacheEntry(
                    regime.walkCacheTag(),
                    level,
                    address & (-1L << shift),
                    shift,
                    next,
                    granule,
                    apTable,
                    pxnTable,
                    uxnTable),
                generation);
          }
          table = next;
          level++;
          break;
        case BLOCK:
        case PAGE:
          return leaf(regime, address, raw, level, apTable, pxnTable, uxnTable, faultIpa);
        default:
          faults.deny(
              fault(regime, EventType.F_TRANSLATION, faultIpa, level, "invalid descriptor"));
          return null;
      }
    }
  }

  private static boolean usable(WalkCacheEntry e, Regime regime, long address) {
    return e != null
        && e.granule() == regime.granule()
        && e.level() >= regime.startLevel()
        && e.level() <= 2
        && e.sizeShift() == regime.granule().levelShift(e.level())
        && e.covers(address);
  }

  private long read(Regime regime, long descriptorAddress, int level) throws TranslationFault {
    try {
      return memory.read64(descriptorAddress);
    } catch (BusAbort abort) {
      throw faults.walkAbort(
          regime.stage(),
          regime.abortClass(),
          descriptorAddress,
          "external abort reading the level " + level + " descriptor: " + abort.getMessage());
    }
  }

  private Leaf leaf(
      Regime regime,
      long address,
      long raw,
      int level,
      int apTable,
      boolean pxnTable,
      boolean uxnTable,
      long faultIpa)
      throws TranslationFault {
    Granule granule = regime.granule();
    long base = LpaeDescriptor.address(raw, granule) & (-1L << granule.levelShift(level));
    long output = base | (address & ~(-1L << granule.levelShift(level)));
    if (regime.exceedsOutput(base)) {
      throw fault(regime, EventType.F_ADDR_SIZE, faultIpa, level, "output beyond size");
    }
    if (regime.accessFlagFaults() && LpaeDescriptor.AF.extract(raw) == 0) {
      throw fault(regime, EventType.F_ACCESS, faultIpa, level, "access flag clear");
    }
    return new Leaf(raw, level, granule, output, apTable, pxnTable, uxnTable);
  }

  private TranslationFault fault(
      Regime regime, EventType type, long faultIpa, int level, String reason) {
    return faults.fault(regime.stage(), type, regime.faultClass(), faultIpa, reason, level);
  }
}
