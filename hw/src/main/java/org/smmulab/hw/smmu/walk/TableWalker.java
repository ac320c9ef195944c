package org.smmulab.hw.smmu.walk;

import org.smmulab.arch.bus.Memory;
import org.smmulab.arch.event.EventRecord;
import org.smmulab.arch.event.EventType;
import org.smmulab.arch.pte.LpaeDescriptor;
import org.smmulab.arch.pte.Stage;
import org.smmulab.hw.smmu.config.ResolvedStream;
import org.smmulab.hw.smmu.tlb.CacheTag;
import org.smmulab.hw.smmu.tlb.TlbEntry;
import org.smmulab.hw.smmu.tlb.TranslationCaches;
import org.smmulab.hw.smmu.txn.Permissions;
import org.smmulab.hw.smmu.txn.Transaction;
import org.smmulab.hw.smmu.txn.TranslationFault;

/**
 * The translation table walker of one SMMU instance: translates a transaction of a stream whose
 * configuration resolved to {@link ResolvedStream.Mode#TRANSLATE} through stage 1, stage 2 or both
 * (VMSAv8-64, 4K/16K/64K granules), and returns the physical address with the leaf entry to cache,
 * or throws a {@link TranslationFault} carrying the event to record ({@code null} when the stage's
 * record control, CD.R or STE.S2R, is clear).
 *
 * <p>The walk, top to bottom:
 *
 * <ol>
 *   <li>read the caches' generation (passed to every walk-cache insert);
 *   <li>stage 1 ({@link Stage1Regime}): pick TTB0/TTB1, check the input range and EPD, walk the
 *       tables ({@link LevelWalk}); in a nested stream every descriptor address, the TTB included,
 *       is an IPA translated through stage 2 first (faults: S2 = 1, CLASS = TT, the table IPA
 *       reported); check the stage-1 permissions ({@link PermissionCheck}), F_PERMISSION otherwise;
 *   <li>stage 2 ({@link Stage2Regime}): walk the IPA (stage-1 output, or the input address for a
 *       stage-2-only stream; faults CLASS = IN) and check its permissions;
 *   <li>build the TLB entry: tagged with the stream's world, kind, VMID and ASID, global = !nG of
 *       the stage-1 leaf; a nested entry covers the smaller of the two leaves and the intersection
 *       of their permissions.
 * </ol>
 *
 * <p>Permission faults are F_PERMISSION, access-flag faults F_ACCESS, output or table addresses at
 * or above the output size (IPS or S2PS, capped at the OAS) F_ADDR_SIZE, external aborts on a
 * descriptor fetch F_WALK_EABT, everything else F_TRANSLATION. STE overrides of the transaction's
 * attributes (PRIVCFG, INSTCFG) are the caller's to apply before the walk; stalling faults
 * likewise.
 *
 * <p>The TLB entry's input base keeps the address exactly as the transaction presented it, top byte
 * included: with TBI, an access with another tag in the top byte misses that entry and walks again,
 * which costs time but never gives a wrong translation.
 *
 * <p>Thread-safe: the walker holds no mutable state; concurrent walks share only the memory and the
 * caches, which are thread-safe by contract. The walker never inserts leaf entries itself.
 */
public final class TableWalker {
  private final Memory memory;
  private final TranslationCaches caches;
  private final int oasBits;

  /**
   * @param memory where descriptors are read (64-bit little-endian reads)
   * @param caches the instance's TLB and walk cache; table descriptors are looked up and inserted
   * @param oasBits the instance's output address size in bits (IDR5.OAS)
   */
  public TableWalker(Memory memory, TranslationCaches caches, int oasBits) {
    if (oasBits < 32 || oasBits > 52) {
      throw new IllegalArgumentException("OAS must be 32..52 bits, got " + oasBits);
    }
    this.memory = memory;
    this.caches = caches;
    this.oasBits = oasBits;
  }

  /**
   * Translates {@code txn} for {@code stream}.
   *
   * @throws TranslationFault if the transaction is terminated; its event is {@code null} when not
   *     recorded
   * @throws IllegalArgumentException if {@code stream} does not translate, or enables stage 1
   *     without a CD (a programming error of the configuration stage)
   */
  public WalkResult walk(ResolvedStream stream, Transaction txn) throws TranslationFault {
    return walk(stream, txn, true, caches.generation());
  }

  /**
   * {@link #walk(ResolvedStream, Transaction)} for a translation that read the caches' generation
   * before it resolved its configuration: walk-cache inserts use {@code startGeneration}, so that a
   * walk built on a configuration read before a CFGI inserts nothing after it.
   */
  public WalkResult walk(ResolvedStream stream, Transaction txn, long startGeneration)
      throws TranslationFault {
    return walk(stream, txn, true, startGeneration);
  }

  /**
   * A prefetch walk (speculative fill): like {@link #walk(ResolvedStream, Transaction, long)}, but
   * a walk that finds no translation returns {@code null} and builds no fault, since a prefetch's
   * faults are never recorded.
   */
  public WalkResult prefetch(ResolvedStream stream, Transaction txn, long startGeneration) {
    requireTranslating(stream);
    try {
      return walk(stream, txn, true, startGeneration, new FaultReporter(stream, txn, true));
    } catch (TranslationFault fault) {
      return null;
    }
  }

  /**
   * Translates {@code txn} through stage 1 only and returns the IPA it maps to, for split-stage ATS
   * (STE.EATS = S1CHK): in a nested stream the stage-1 tables are still read through stage 2, but
   * the output stays an IPA. The entry returned is not for the TLB; it describes the stage-1 leaf
   * (its size, the IPA, the stage-1 permissions) for the translation completion.
   *
   * @throws IllegalArgumentException if stage 1 does not translate the stream
   */
  public WalkResult walkStage1(ResolvedStream stream, Transaction txn) throws TranslationFault {
    if (!stream.stage1()) {
      throw new IllegalArgumentException("stage 1 does not translate " + stream);
    }
    return walk(stream, txn, false, caches.generation());
  }

  private WalkResult walk(
      ResolvedStream stream, Transaction txn, boolean throughStage2, long startGeneration)
      throws TranslationFault {
    requireTranslating(stream);
    FaultReporter faults = new FaultReporter(stream, txn);
    WalkResult result = walk(stream, txn, throughStage2, startGeneration, faults);
    if (result == null) {
      throw faults.denial();
    }
    return result;
  }

  /**
   * The walk itself. An invalid descriptor or a permission fault, the frequent faults of a busy
   * device, is not thrown from here but kept by {@code faults} ({@link FaultReporter#denial()}) and
   * signalled by a {@code null} result: the small callers throw it themselves, which the JIT can
   * compile into a jump to the catching frame instead of a costly unwinding through this large
   * method. Other faults are thrown.
   *
   * @return the result, or {@code null} when the walk faulted that way
   */
  private WalkResult walk(
      ResolvedStream stream,
      Transaction txn,
      boolean throughStage2,
      long startGeneration,
      FaultReporter faults)
      throws TranslationFault {
    LevelWalk levels = new LevelWalk(memory, caches, startGeneration, faults);

    long address = txn.address();
    Leaf s1 = null;
    Permissions permissions = Permissions.ALL;
    if (stream.stage1()) {
      Regime regime = Stage1Regime.select(stream, address, oasBits, faults);
      TableAddressTranslator tables =
          stream.stage2()
              ? tableIpa -> stage2(stream, levels, faults, tableIpa, EventRecord.CLASS_TT, txn)
              : TableAddressTranslator.IDENTITY;
      s1 = levels.walk(regime, address, tables, 0);
      if (s1 == null) {
        return null;
      }
      permissions = PermissionCheck.stage1(s1);
      if (!permissions.allows(txn)) {
        return faults.deny(faults.permission(Stage.STAGE_1, EventRecord.CLASS_IN, 0));
      }
      address = s1.outputAddress();
    }
    Leaf s2 = null;
    if (stream.stage2() && throughStage2) {
      Regime regime = Stage2Regime.forIpa(stream, address, EventRecord.CLASS_IN, oasBits, faults);
      s2 = levels.walk(regime, address, TableAddressTranslator.IDENTITY, address);
      if (s2 == null) {
        return null;
      }
      Permissions s2Permissions = PermissionCheck.stage2(s2);
      if (!s2Permissions.allows(txn)) {
        return faults.deny(faults.permission(Stage.STAGE_2, EventRecord.CLASS_IN, address));
      }
      permissions = permissions.and(s2Permissions);
      address = s2.outputAddress();
    }
    return new WalkResult(address, tlbEntry(stream, txn.address(), address, s1, s2, permissions));
  }

  /**
   * Translates one IPA of {@code stream} through stage 2, for the other stages of the pipeline (a
   * CD fetch in a nested stream uses {@link EventRecord#CLASS_CD}). The access is checked as a read
   * of configuration or table data: the stage-2 leaf must grant read permission. Stage-2 faults are
   * reported against {@code txn} with S2 = 1, {@code eventClass} and {@code ipa}; recorded only
   * when STE.S2R is set. When stage 2 does not translate the stream, the IPA is the physical
   * address and is returned unchanged.
   *
   * @param eventClass {@link EventRecord#CLASS_CD}, {@link EventRecord#CLASS_TT} or {@link
   *     EventRecord#CLASS_IN}
   * @return the physical address of {@code ipa}
   */
  public long toPhysical(ResolvedStream stream, Transaction txn, long ipa, int eventClass)
      throws TranslationFault {
    if (!stream.stage2()) {
      return ipa;
    }
    FaultReporter faults = new FaultReporter(stream, txn);
    LevelWalk levels = new LevelWalk(memory, caches, caches.generation(), faults);
    return stage2(stream, levels, faults, ipa, eventClass, txn);
  }

  /**
   * Stage 2 for a table or CD access made on the stream's behalf: a read, so S2AP read is needed.
   * S2PTW additionally makes a stage-1 table access that lands in stage-2 Device memory a
   * permission fault (MemAttr[3:2] = 00 is Device; with S2FWB, MemAttr[2] = 0).
   */
  private long stage2(
      ResolvedStream stream,
      LevelWalk levels,
      FaultReporter faults,
      long ipa,
      int eventClass,
      Transaction txn)
      throws TranslationFault {
    Regime regime = Stage2Regime.forIpa(stream, ipa, eventClass, oasBits, faults);
    Leaf leaf = levels.walk(regime, ipa, TableAddressTranslator.IDENTITY, ipa);
    if (leaf == null) {
      throw faults.denial();
    }
    if (!PermissionCheck.stage2(leaf).allows(false, txn.privileged(), false)) {
      throw faults.fault(
          Stage.STAGE_2, EventType.F_PERMISSION, eventClass, ipa, "no read access to table");
    }
    if (eventClass == EventRecord.CLASS_TT
        && stream.ste().s2ProtectedTableWalk()
        && isDevice(leaf.descriptor(), stream.ste().s2ForceWriteBack())) {
      throw faults.fault(
          Stage.STAGE_2, EventType.F_PERMISSION, eventClass, ipa, "table in Device memory (S2PTW)");
    }
    return leaf.outputAddress();
  }

  private static boolean isDevice(long descriptor, boolean forceWriteBack) {
    long memAttr = LpaeDescriptor.MEM_ATTR.extract(descriptor);
    return forceWriteBack ? (memAttr & 0b0100) == 0 : (memAttr & 0b1100) == 0;
  }

  private static TlbEntry tlbEntry(
      ResolvedStream stream, long input, long output, Leaf s1, Leaf s2, Permissions permissions) {
    Leaf primary = s1 != null ? s1 : s2;
    int sizeShift =
        s1 != null && s2 != null ? Math.min(s1.sizeShift(), s2.sizeShift()) : primary.sizeShift();
    boolean global = s1 != null && LpaeDescriptor.NG.extract(s1.descriptor()) == 0;
    CacheTag tag =
        new CacheTag(
            stream.world(), stream.kind(), stream.vmid(), s1 != null ? stream.asid() : 0, global);
    long mask = -1L << sizeShift;
    return new TlbEntry(
        tag,
        input & mask,
        sizeShift,
        output & mask,
        permissions,
        primary.level(),
        primary.granule());
  }

  private static void requireTranslating(ResolvedStream stream) {
    if (stream.mode() != ResolvedStream.Mode.TRANSLATE || !(stream.stage1() || stream.stage2())) {
      throw new IllegalArgumentException(
          "the walker translates only streams in mode TRANSLATE with a stage enabled, got "
              + stream);
    }
    if (stream.stage1() && stream.cd() == null) {
      throw new IllegalArgumentException("stage 1 translates but the resolved stream has no CD");
    }
  }
}
