package org.smmulab.hw.smmu.config;

import java.util.OptionalInt;
import org.smmulab.arch.bus.BusAbort;
import org.smmulab.arch.bus.Memory;
import org.smmulab.arch.cd.Cd;
import org.smmulab.arch.cd.L1CdDescriptor;
import org.smmulab.arch.event.EventRecord;
import org.smmulab.arch.event.EventType;
import org.smmulab.arch.ste.L1StreamDescriptor;
import org.smmulab.arch.ste.Ste;
import org.smmulab.arch.ste.SteFields;
import org.smmulab.arch.ste.StreamConfig;
import org.smmulab.hw.smmu.SmmuConfig;
import org.smmulab.hw.smmu.tlb.CacheTag;
import org.smmulab.hw.smmu.txn.Transaction;
import org.smmulab.hw.smmu.txn.TranslationFault;

/**
 * Resolves a transaction's configuration: finds its STE, applies the SubstreamID rules, finds its
 * CD, and checks both, through the {@link ConfigCache}. The pipeline, top to bottom:
 *
 * <ol>
 *   <li>StreamID range: {@code sid >= 2^LOG2SIZE}, an unusable table format, or in a 2-level table
 *       an L1STD with SPAN 0, a reserved SPAN (above 12), SPAN above SPLIT + 1, or a level-2 index
 *       {@code >= 2^(SPAN-1)}: C_BAD_STREAMID if CR2.RECINVSID, else terminated silently;
 *   <li>the STE, read one 64-bit word at a time (a concurrent non-hitless update can be observed
 *       torn, and with the config cache's word-by-word refetch a refetch reuses some words of the
 *       previous fetch, see {@link ConfigCache}); an external abort is F_STE_FETCH; V = 0 or an
 *       ILLEGAL field ({@link EntryChecks}) is C_BAD_STE; Config 0b0xx terminates silently; bypass
 *       passes untranslated;
 *   <li>SubstreamIDs: an SSID with stage 1 disabled, with S1CDMax = 0, on an instance without
 *       SubstreamIDs, or at or above {@code 2^S1CDMax} is C_BAD_SUBSTREAMID; SSID 0 with S1DSS =
 *       SSID0, or no SSID with S1DSS = terminate (or reserved), is F_STREAM_DISABLED; no SSID with
 *       S1DSS = bypass skips stage 1;
 *   <li>the CD: linear ({@code S1ContextPtr + 64 * index}), or 2-level with 4 KiB (64-CD, S1Fmt 1)
 *       or 64 KiB (1024-CD, S1Fmt 2) leaves; an L1CD with V = 0 is C_BAD_SUBSTREAMID; in a nested
 *       stream every CD-table address is an IPA translated through stage 2 first (faults there have
 *       S2 = 1, CLASS = CD); an external abort is F_CD_FETCH; V = 0 or ILLEGAL is C_BAD_CD.
 * </ol>
 *
 * <p>Thread-safe: the fetcher holds no mutable state of its own.
 */
public final class ConfigFetcher {
  private static final int STE_BYTES = 64;
  private static final int CD_BYTES = 64;
  private static final int MAX_SPAN = 12;

  private final Memory memory;
  private final SmmuConfig config;
  private final ConfigCache cache;
  private final IpaTranslator stage2;

  /**
   * @param memory where tables are read
   * @param config the instance
   * @param cache the instance's config cache
   * @param stage2 translates CD-table IPAs of nested streams
   */
  public ConfigFetcher(Memory memory, SmmuConfig config, ConfigCache cache, IpaTranslator stage2) {
    this.memory = memory;
    this.config = config;
    this.cache = cache;
    this.stage2 = stage2;
  }

  /** A fetched STE and the verdict of the ILLEGAL checks, as cached. */
  private record CheckedSte(Ste ste, String problem) {}

  /** A fetched CD and the verdict of the ILLEGAL checks, as cached. */
  private record CheckedCd(Cd cd, String problem) {}

  /**
   * The configuration {@code txn} resolves to.
   *
   * @throws TranslationFault if the transaction is terminated by its configuration; the fault's
   *     event is {@code null} when nothing is recorded
   */
  public ResolvedStream resolve(ConfigurationRegisters regs, Transaction txn)
      throws TranslationFault {
    long resolvedKey =
        ConfigCache.resolvedKey(txn.streamId(), txn.substreamValid(), txn.substreamId());
    Object cached = cache.lookup(resolvedKey);
    if (cached instanceof ResolvedStream stream) {
      return stream;
    }
    if (cached instanceof CachedError error) {
      throw error.fault();
    }
    long generation = cache.generation();
    ResolvedStream resolved;
    try {
      resolved = resolveFromTables(regs, txn, generation);
    } catch (TranslationFault fault) {
      if (fault.event() != null && isStructural(fault.event().type())) {
        cache.insert(resolvedKey, new CachedError(fault), generation);
      }
      throw fault;
    }
    cache.insert(resolvedKey, resolved, generation);
    return resolved;
  }

  /**
   * A configuration error found in cached structures alone (an invalid or ILLEGAL STE or CD, the
   * SubstreamID rules, an invalid L1CD), cached with the configuration it replaces; its fault has
   * no stack trace and is thrown again as it is. Fetch aborts and stage-2 faults of nested CD
   * fetches are not cached.
   */
  private record CachedError(TranslationFault fault) {}

  private static boolean isStructural(EventType type) {
    return type == EventType.C_BAD_STE
        || type == EventType.C_BAD_CD
        || type == EventType.C_BAD_SUBSTREAMID
        || type == EventType.F_STREAM_DISABLED;
  }

  private ResolvedStream resolveFromTables(
      ConfigurationRegisters regs, Transaction txn, long generation) throws TranslationFault {
    CheckedSte checked = steOf(regs, txn, generation);
    Ste ste = checked.ste();
    if (checked.problem() != null) {
      throw configError(EventType.C_BAD_STE, txn, substream(txn), checked.problem());
    }
    StreamConfig streamConfig = ste.config();
    if (!streamConfig.passesTraffic()) {
      return new ResolvedStream(
          ResolvedStream.Mode.ABORT, ste, null, false, false, CacheTag.World.NS_EL1, 0, 0);
    }
    boolean s1 = streamConfig.s1Translates();
    boolean s2 = streamConfig.s2Translates();
    if (!s1) {
      if (txn.substreamValid()) {
        throw configError(
            EventType.C_BAD_SUBSTREAMID,
            txn,
            OptionalInt.of(txn.substreamId()),
            "SubstreamID on a stream without stage 1");
      }
      return s2 ? stage2Only(ste) : bypass(ste);
    }
    int cdMax = config.ssidBits() == 0 ? 0 : ste.s1CdMax();
    int cdIndex = cdIndex(ste, cdMax, txn);
    if (cdIndex < 0) {
      return s2 ? stage2Only(ste) : bypass(ste);
    }
    ResolvedStream s2Stream = s2 ? stage2Only(ste) : null;
    CheckedCd cd = cdOf(ste, cdMax, cdIndex, txn, s2Stream, generation);
    if (cd.problem() != null) {
      throw configError(EventType.C_BAD_CD, txn, substream(txn), cd.problem());
    }
    CacheTag.World world =
        !s2 && config.hyp() && ste.strw() == SteFields.STRW_EL2
            ? CacheTag.World.EL2
            : CacheTag.World.NS_EL1;
    int asid = cd.cd().asid() & (config.asid16() ? 0xFFFF : 0xFF);
    return new ResolvedStream(
        ResolvedStream.Mode.TRANSLATE, ste, cd.cd(), true, s2, world, vmidOf(ste, world), asid);
  }

  /**
   * The CD index a transaction uses, or -1 when stage 1 is bypassed for it (no SSID, S1DSS =
   * bypass).
   */
  private int cdIndex(Ste ste, int cdMax, Transaction txn) throws TranslationFault {
    if (txn.substreamValid()) {
      int ssid = txn.substreamId();
      OptionalInt reported = OptionalInt.of(ssid);
      if (cdMax == 0) {
        throw configError(
            EventType.C_BAD_SUBSTREAMID, txn, reported, "SubstreamID with substreams disabled");
      }
      if (Integer.compareUnsigned(ssid, 1 << cdMax) >= 0) {
        throw configError(
            EventType.C_BAD_SUBSTREAMID, txn, reported, "SubstreamID beyond S1CDMax " + cdMax);
      }
      if (ssid == 0 && ste.s1Dss() == SteFields.S1DSS_SSID0) {
        throw configError(
            EventType.F_STREAM_DISABLED, txn, reported, "SubstreamID 0 is reserved by S1DSS");
      }
      return ssid;
    }
    if (cdMax == 0) {
      return 0;
    }
    return switch (ste.s1Dss()) {
      case SteFields.S1DSS_BYPASS -> -1;
      case SteFields.S1DSS_SSID0 -> 0;
      default ->
          throw configError(
              EventType.F_STREAM_DISABLED, txn, OptionalInt.empty(), "no SubstreamID and S1DSS");
    };
  }

  private ResolvedStream bypass(Ste ste) {
    return new ResolvedStream(
        ResolvedStream.Mode.BYPASS, ste, null, false, false, CacheTag.World.NS_EL1, 0, 0);
  }

  private ResolvedStream stage2Only(Ste ste) {
    return new ResolvedStream(
        ResolvedStream.Mode.TRANSLATE,
        ste,
        null,
        false,
        true,
        CacheTag.World.NS_EL1,
        vmidOf(ste, CacheTag.World.NS_EL1),
        0);
  }

  private int vmidOf(Ste ste, CacheTag.World world) {
    if (!config.stage2() || world != CacheTag.World.NS_EL1) {
      return 0;
    }
    return ste.s2Vmid() & (config.vmid16() ? 0xFFFF : 0xFF);
  }

  private CheckedSte steOf(ConfigurationRegisters regs, Transaction txn, long generation)
      throws TranslationFault {
    int sid = txn.streamId();
    long key = ConfigCache.steKey(sid);
    Object cached = cache.lookup(key);
    if (cached != null) {
      return (CheckedSte) cached;
    }
    long steAddress = steAddress(regs, txn, generation);
    long[] words = readStructure(key, steAddress, STE_BYTES, EventType.F_STE_FETCH, txn);
    Ste ste = Ste.decode(words);
    CheckedSte checked = new CheckedSte(ste, EntryChecks.steProblem(ste, config));
    cache.insertStructure(key, checked, words, generation);
    return checked;
  }

  private long steAddress(ConfigurationRegisters regs, Transaction txn, long generation)
      throws TranslationFault {
    long sid = Integer.toUnsignedLong(txn.streamId());
    if (regs.unusable() || sid >>> regs.log2Size() != 0) {
      throw badStreamId(regs, txn, "StreamID outside the stream table");
    }
    if (!regs.twoLevel()) {
      return regs.base() + sid * STE_BYTES;
    }
    long l1Index = sid >>> regs.split();
    long l1Key = ConfigCache.l1StdKey(l1Index);
    Object cached = cache.lookup(l1Key);
    L1StreamDescriptor l1;
    if (cached != null) {
      l1 = (L1StreamDescriptor) cached;
    } else {
      long l1Address = regs.base() + l1Index * 8;
      l1 = L1StreamDescriptor.decode(readEntry(l1Address, 8, EventType.F_STE_FETCH, txn)[0]);
      cache.insert(l1Key, l1, generation);
    }
    int span = (int) l1.get(L1StreamDescriptor.SPAN);
    long l2Index = sid & ((1L << regs.split()) - 1);
    if (span == 0 || span > MAX_SPAN || span > regs.split() + 1 || l2Index >>> (span - 1) != 0) {
      throw badStreamId(regs, txn, "L1STD SPAN " + span + " does not cover the StreamID");
    }
    return l1.get(L1StreamDescriptor.L2PTR) + l2Index * STE_BYTES;
  }

  private CheckedCd cdOf(
      Ste ste, int cdMax, int cdIndex, Transaction txn, ResolvedStream s2Stream, long generation)
      throws TranslationFault {
    int sid = txn.streamId();
    long key = ConfigCache.cdKey(sid, cdIndex);
    Object cached = cache.lookup(key);
    if (cached != null) {
      return (CheckedCd) cached;
    }
    long table = ste.s1ContextPtr();
    int fmt = ste.s1Fmt();
    long cdAddress;
    if (cdMax == 0 || fmt == 0 || fmt == 3) {
      cdAddress = table + (long) cdIndex * CD_BYTES;
    } else {
      int leafBits = fmt == 1 ? 6 : 10;
      int l1Index = cdIndex >>> leafBits;
      long l1Key = ConfigCache.l1CdKey(sid, l1Index);
      Object l1Cached = cache.lookup(l1Key);
      L1CdDescriptor l1;
      if (l1Cached != null) {
        l1 = (L1CdDescriptor) l1Cached;
      } else {
        long l1Address = physical(s2Stream, txn, table + (long) l1Index * 8);
        l1 = L1CdDescriptor.decode(readEntry(l1Address, 8, EventType.F_CD_FETCH, txn)[0]);
        cache.insert(l1Key, l1, generation);
      }
      if (!l1.valid()) {
        throw configError(EventType.C_BAD_SUBSTREAMID, txn, OptionalInt.of(cdIndex), "L1CD.V is 0");
      }
      long leaf = l1.l2Table() & (fmt == 2 ? ~0xFFFFL : ~0xFFFL);
      cdAddress = leaf + (long) (cdIndex & ((1 << leafBits) - 1)) * CD_BYTES;
    }
    long[] words =
        readStructure(key, physical(s2Stream, txn, cdAddress), CD_BYTES, EventType.F_CD_FETCH, txn);
    Cd cd = Cd.decode(words);
    CheckedCd checked = new CheckedCd(cd, EntryChecks.cdProblem(cd, config));
    cache.insertStructure(key, checked, words, generation);
    return checked;
  }

  /**
   * A CD-table address as a physical address: through stage 2 in a nested stream. Each 64-bit word
   * of a CD lies in the same 64-byte-aligned block, so one translation covers the whole CD.
   */
  private long physical(ResolvedStream s2Stream, Transaction txn, long address)
      throws TranslationFault {
    return s2Stream == null ? address : stage2.toPhysical(s2Stream, txn, address);
  }

  /**
   * Reads the STE or CD cached under {@code key}: words the cache kept from an earlier fetch and
   * chose to reuse ({@link ConfigCache#retained}) are taken from there, the others are read from
   * memory.
   */
  private long[] readStructure(
      long key, long address, int bytes, EventType fetchFault, Transaction txn)
      throws TranslationFault {
    ConfigCache.Retained retained = cache.retained(key);
    if (retained == null) {
      return readEntry(address, bytes, fetchFault, txn, null, 0);
    }
    return readEntry(address, bytes, fetchFault, txn, retained.words(), retained.reuse());
  }

  /**
   * Reads {@code bytes} of a structure one 64-bit word at a time; an address beyond the OAS or an
   * external abort is {@code fetchFault} with the address of the word that failed.
   */
  private long[] readEntry(long address, int bytes, EventType fetchFault, Transaction txn)
      throws TranslationFault {
    return readEntry(address, bytes, fetchFault, txn, null, 0);
  }

  /**
   * {@link #readEntry}, except that word i is {@code kept[i]} where bit i of {@code reuse} is set.
   */
  private long[] readEntry(
      long address, int bytes, EventType fetchFault, Transaction txn, long[] kept, long reuse)
      throws TranslationFault {
    long[] words = new long[bytes / 8];
    for (int i = 0; i < words.length; i++) {
      if (kept != null && (reuse >>> i & 1) != 0) {
        words[i] = kept[i];
        continue;
      }
      long wordAddress = address + 8L * i;
      if (wordAddress >>> config.oasBits() != 0) {
        throw fetchAbort(fetchFault, txn, wordAddress, "address beyond the OAS");
      }
      try {
        words[i] = memory.read64(wordAddress);
      } catch (BusAbort abort) {
        throw fetchAbort(fetchFault, txn, wordAddress, abort.getMessage());
      }
    }
    return words;
  }

  private static OptionalInt substream(Transaction txn) {
    return txn.substreamValid() ? OptionalInt.of(txn.substreamId()) : OptionalInt.empty();
  }

  private static TranslationFault badStreamId(
      ConfigurationRegisters regs, Transaction txn, String reason) {
    EventRecord event =
        regs.recordInvalidStreamIds()
            ? EventRecord.configError(EventType.C_BAD_STREAMID, txn.streamId(), substream(txn))
            : null;
    return new TranslationFault(event, reason);
  }

  private static TranslationFault configError(
      EventType type, Transaction txn, OptionalInt ssid, String reason) {
    return new TranslationFault(EventRecord.configError(type, txn.streamId(), ssid), reason);
  }

  private static TranslationFault fetchAbort(
      EventType type, Transaction txn, long fetchAddress, String reason) {
    return new TranslationFault(
        EventRecord.fetchAbort(type, txn.streamId(), substream(txn), fetchAddress),
        "fetch abort at 0x" + Long.toHexString(fetchAddress) + ": " + reason);
  }
}
