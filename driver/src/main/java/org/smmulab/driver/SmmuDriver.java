package org.smmulab.driver;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntFunction;
import org.smmulab.arch.bus.AtsControl;
import org.smmulab.arch.bus.BusAbort;
import org.smmulab.arch.bus.InterruptLines;
import org.smmulab.arch.bus.Memory;
import org.smmulab.arch.bus.RegisterBus;
import org.smmulab.arch.cd.Cd;
import org.smmulab.arch.cmd.Command;
import org.smmulab.arch.cmd.CommandBatch;
import org.smmulab.arch.pte.Granule;
import org.smmulab.arch.pte.Stage;
import org.smmulab.arch.ste.Ste;
import org.smmulab.arch.ste.SteFields;
import org.smmulab.driver.alloc.AllocatorExhaustedException;
import org.smmulab.driver.alloc.PageAllocator;
import org.smmulab.driver.attach.AttachException;
import org.smmulab.driver.attach.Master;
import org.smmulab.driver.attach.MasterInvalidations;
import org.smmulab.driver.domain.BlockedDomain;
import org.smmulab.driver.domain.Domain;
import org.smmulab.driver.domain.DomainType;
import org.smmulab.driver.domain.IdentityDomain;
import org.smmulab.driver.domain.PagingDomain;
import org.smmulab.driver.entry.ContextDescriptors;
import org.smmulab.driver.entry.StreamTableEntries;
import org.smmulab.driver.inject.Injection;
import org.smmulab.driver.invs.InvalidationArray;
import org.smmulab.driver.invs.InvalidationQueues;
import org.smmulab.driver.invs.InvalidationWalker;
import org.smmulab.driver.invs.SmmuId;
import org.smmulab.driver.pgtable.IoPageTable;
import org.smmulab.driver.pgtable.PageTableConfig;
import org.smmulab.driver.probe.ProbeException;
import org.smmulab.driver.queue.QueueListener;
import org.smmulab.driver.smmu.DriverOptions;
import org.smmulab.driver.smmu.ResetException;
import org.smmulab.driver.smmu.SmmuDevice;
import org.smmulab.driver.tags.CacheTag;
import org.smmulab.driver.tags.CacheTags;
import org.smmulab.driver.tags.TagExhaustedException;
import org.smmulab.driver.tlbi.AtcInvalidation;

/**
 * The SMMUv3 driver: instances, masters, domains, and the attach sequence that ties them together
 * through invalidation arrays and per-instance cache tags.
 *
 * <p>Attach of a master to a domain (Linux {@code arm_smmu_attach_dev} with the cache-tag series),
 * all under the tag lock (the kernel's {@code arm_smmu_asid_lock}):
 *
 * <ol>
 *   <li>prepare, where everything that can fail happens: check that the instance can use the
 *       domain's page table ({@link #canShare}); get the domain's tag on the master's instance
 *       (found in its array, or the lowest free ASID/VMID); build the master's invalidation list
 *       and merge it into a new array; find the old domain's tag and build the list to unref; make
 *       sure the CD table and its leaf exist. A failure frees a freshly allocated tag (no flush: it
 *       was never installed) and leaves everything as it was;
 *   <li>publish the new array: from now on the new domain's unmaps invalidate for this master;
 *   <li>if ATS is being turned off, disable it on the device first; then switch the CD and STE with
 *       the hitless writer (each step a CFGI and a CMD_SYNC);
 *   <li>ATS (used while the stream is on a paging domain or any SubstreamID is attached, so a
 *       SubstreamID's invalidation list always agrees with the device): newly enabled, flush the
 *       whole ATC, then enable; staying on, flush it for the stream; being turned off, flush it;
 *   <li>unref the master's entries from the old domain's array; if that was the tag's last user,
 *       flush the tag (TLBI_NH_ASID or TLBI_S12_VMALL, CMD_SYNC) and free the id; purge the old
 *       array and publish the result.
 * </ol>
 *
 * <p>Map and unmap run without the tag lock ({@link PagingDomain}); unmap's invalidation walks the
 * published array lock-free. Driver entry points are thread-safe.
 */
public final class SmmuDriver implements InvalidationQueues {
  private final Memory memory;
  private final PageAllocator allocator;
  private final DriverOptions options;
  private final QueueListener listener;
  private final ReentrantLock tagLock = new ReentrantLock();
  private final Map<SmmuId, SmmuDevice> instances = new ConcurrentHashMap<>();
  private final AtomicInteger nextInstance = new AtomicInteger();
  private final Map<Master, MasterState> masters = new ConcurrentHashMap<>();
  private final List<PagingDomain> domains = new CopyOnWriteArrayList<>();
  private final CacheTags tags;
  private final InvalidationWalker walker;

  /** Tags the injected bug {@code early-tag-free} released while they still had users. */
  private final Set<EarlyFree> earlyFreed = new HashSet<>();

  /** A tag the injected bug {@code early-tag-free} released while it still had users. */
  private record EarlyFree(PagingDomain domain, SmmuId smmu, int id) {}

  /**
   * @param memory the physical memory shared with the hardware
   * @param allocator where the driver's tables and queues come from
   * @param listener told of queue errors, timeouts and events
   */
  public SmmuDriver(
      Memory memory, PageAllocator allocator, DriverOptions options, QueueListener listener) {
    this.memory = memory;
    this.allocator = allocator;
    this.options = options;
    this.listener = listener;
    this.tags =
        new CacheTags(
            tagLock,
            options.asidSpace(),
            this::flushTag,
            options.injects(Injection.SKIP_TAG_FLUSH));
    this.walker = new InvalidationWalker(this, options.injections());
  }

  /**
   * Probes and resets an instance and makes it available to masters.
   *
   * @throws ProbeException if the instance reports something the driver refuses
   * @throws ResetException if it does not come up
   */
  public SmmuDevice addInstance(String name, RegisterBus regs, InterruptLines interrupts)
      throws ProbeException, ResetException, AllocatorExhaustedException, BusAbort {
    SmmuId id = new SmmuId(nextInstance.getAndIncrement());
    SmmuDevice device =
        new SmmuDevice(id, name, regs, interrupts, memory, allocator, options, listener);
    device.reset();
    tagLock.lock();
    try {
      tags.addInstance(id, device.features().asidBits(), device.features().vmidBits(), false);
      instances.put(id, device);
    } finally {
      tagLock.unlock();
    }
    return device;
  }

  /** The instances, in the order they were added. */
  public List<SmmuDevice> instances() {
    List<SmmuDevice> out = new ArrayList<>(instances.values());
    out.sort((a, b) -> a.id().compareTo(b.id()));
    return out;
  }

  /**
   * Adds a master; its streams start blocked (abort STEs).
   *
   * @param ats the function's ATS control, or {@code null} when it has no ATS capability
   * @throws IllegalArgumentException if its instance is unknown or a StreamID does not fit
   */
  public Master addMaster(String name, SmmuId smmu, int[] streamIds, AtsControl ats, int ssidBits)
      throws AllocatorExhaustedException, BusAbort {
    SmmuDevice device = instance(smmu);
    Master master = new Master(name, smmu, streamIds, ats != null, ssidBits, false);
    for (int sid : master.streamIds()) {
      device.prepareStream(sid);
    }
    masters.put(master, new MasterState(master, device, ats));
    return master;
  }

  /**
   * A new paging domain, not yet attached anywhere.
   *
   * @param ias input address size in bits
   * @param oas output address size in bits
   */
  public PagingDomain newPagingDomain(String name, Stage stage, Granule granule, int ias, int oas)
      throws AllocatorExhaustedException, BusAbort {
    return newPagingDomain(name, PageTableConfig.of(stage, granule, ias, oas));
  }

  /**
   * A new paging domain with an explicit page-table configuration (page sizes, walk coherency), not
   * yet attached anywhere; which instances may then attach it is decided by {@link #canShare}.
   */
  public PagingDomain newPagingDomain(String name, PageTableConfig config)
      throws AllocatorExhaustedException, BusAbort {
    IoPageTable table = IoPageTable.create(config, memory, allocator);
    PagingDomain domain =
        new PagingDomain(
            name, table, walker, tagLock, options.injects(Injection.LEAF_ONLY_TABLE_FREE));
    domains.add(domain);
    return domain;
  }

  /**
   * Whether {@code smmu} can walk {@code domain}'s page table (Linux {@code
   * arm_smmu_domain_can_share}): the stage is implemented, the domain's granule (its smallest page
   * size) is supported, its output size fits the instance's, and a coherent walk needs a coherent
   * instance.
   */
  public static boolean canShare(PagingDomain domain, SmmuDevice smmu) {
    PageTableConfig cfg = domain.table().config();
    var f = smmu.features();
    boolean stage = cfg.stage() == Stage.STAGE_1 ? f.stage1() : f.stage2();
    long granule = Long.lowestOneBit(cfg.pgsizeBitmap());
    return stage
        && (f.pageSizes() & granule) != 0
        && cfg.oas() <= f.oasBits()
        && (!cfg.coherentWalk() || f.coherent());
  }

  // ---------------------------------------------------------------- attach

  /** Detaches {@code master}: attaches it to the blocked domain. */
  public void detach(Master master) throws BusAbort {
    try {
      attach(master, BlockedDomain.INSTANCE);
    } catch (AttachException e) {
      throw new IllegalStateException("detaching cannot fail: " + e.getMessage(), e);
    }
  }

  /**
   * Attaches the whole stream of {@code master} to {@code domain} (see the class comment).
   *
   * @throws AttachException if it cannot be done; nothing changed
   * @throws BusAbort if the driver's own stream or CD table memory cannot be accessed (memory the
   *     allocator handed out does not exist); the master then stays recorded on its old domain, and
   *     a new domain's array may keep the master's entries, which only over-invalidate
   */
  public void attach(Master master, Domain domain) throws AttachException, BusAbort {
    MasterState state = state(master);
    tagLock.lock();
    try {
      attachLocked(state, domain);
    } finally {
      tagLock.unlock();
    }
  }

  private void attachLocked(MasterState state, Domain next) throws AttachException, BusAbort {
    assert tagLock.isHeldByCurrentThread();
    SmmuDevice smmu = state.smmu;
    Master master = state.master;
    Domain old = state.domain;
    boolean atsNext =
        atsCapable(state) && (next instanceof PagingDomain || !state.pasids.isEmpty());

    if (!state.pasids.isEmpty() && next.type() == DomainType.PAGING_S2) {
      throw new AttachException(
          AttachException.Kind.UNSUPPORTED,
          master + " has SubstreamIDs attached; its stream cannot move to stage 2");
    }
    // 1. Prepare: everything that can fail.
    Side newSide = null;
    if (next instanceof PagingDomain paging) {
      if (!canShare(paging, smmu)) {
        throw new AttachException(
            AttachException.Kind.CANNOT_SHARE,
            smmu.name() + " cannot use the page table of " + paging.name() + " for " + master);
      }
      newSide = prepareNew(paging, state, atsNext, 0);
    }
    Side oldSide = null;
    try {
      if (old instanceof PagingDomain oldPaging) {
        oldSide = prepareOld(oldPaging, state, state.atsEnabled, 0, newSide);
      }
      if (next.type() == DomainType.PAGING_S1) {
        ensureCdTable(state);
      }
    } catch (AllocatorExhaustedException e) {
      abandon(newSide);
      throw new AttachException(AttachException.Kind.OUT_OF_MEMORY, e.getMessage());
    } catch (RuntimeException | BusAbort e) {
      abandon(newSide);
      throw e;
    }

    // 2. The new domain invalidates for this master from now on.
    if (newSide != null) {
      newSide.domain.invalidations().setRelease(newSide.merged);
    }

    // 3. Switch the entries; ATS goes off before the switch when it is being turned off.
    if (state.atsEnabled && !atsNext) {
      state.ats.setAtsEnabled(false);
    }
    writeEntries(state, next, newSide, atsNext);

    // 4. ATS.
    if (atsNext || state.atsEnabled) {
      flushAtc(state);
    }
    if (atsNext && !state.atsEnabled) {
      state.ats.setAtsEnabled(true);
    }

    // 5. The old domain stops invalidating for this master; its tag dies with its last user.
    if (oldSide != null) {
      retire(oldSide);
    }
    state.domain = next;
    state.atsEnabled = atsNext;
  }

  /**
   * Whether the master's ATS can be used: it has the capability and its instance supports ATS. A
   * master uses ATS while its stream is on a paging domain or any of its SubstreamIDs is attached
   * (the SubstreamIDs' translations need it even when the stream itself is blocked), so that every
   * attachment's invalidation list agrees with the device's ATS state.
   */
  private static boolean atsCapable(MasterState state) {
    return state.ats != null && state.smmu.features().ats();
  }

  /** One side of an attach: the domain, its tag, and the master's list for it. */
  private record Side(
      PagingDomain domain, CacheTag tag, InvalidationArray list, InvalidationArray merged) {}

  private Side prepareNew(PagingDomain domain, MasterState state, boolean ats, int ssid)
      throws AttachException {
    CacheTag tag;
    try {
      tag = tags.getCacheTag(domain.invalidations(), domain.tagType(), state.smmu.id());
    } catch (TagExhaustedException e) {
      throw new AttachException(AttachException.Kind.TAG_EXHAUSTED, e.getMessage());
    }
    InvalidationArray list = listFor(state, domain, tag, ats, ssid);
    InvalidationArray merged = InvalidationArray.merge(domain.invalidations().get(), list);
    return new Side(domain, tag, list, merged);
  }

  /**
   * Undoes a prepared new side whose attach failed before anything was published: a tag allocated
   * for it was never installed, so it is freed without a flush. Tag-lock holder only.
   */
  private void abandon(Side newSide) {
    assert tagLock.isHeldByCurrentThread();
    if (newSide != null && newSide.tag.fresh()) {
      tags.freeCacheTag(newSide.tag, false);
    }
  }

  private Side prepareOld(
      PagingDomain domain, MasterState state, boolean ats, int ssid, Side newSide) {
    CacheTag tag = tags.findCacheTag(domain.invalidations(), domain.tagType(), state.smmu.id());
    if (tag == null) {
      throw new IllegalStateException(
          state.master + " is attached to " + domain.name() + " but its tag is missing");
    }
    InvalidationArray list = listFor(state, domain, tag, ats, ssid);
    InvalidationArray base = newSide != null && newSide.domain == domain ? newSide.merged : null;
    return new Side(domain, tag, list, base);
  }

  private InvalidationArray listFor(
      MasterState state, PagingDomain domain, CacheTag tag, boolean ats, int ssid) {
    int rangeShift = state.smmu.features().rangeInvalidation() ? domain.granuleShift() : 0;
    return MasterInvalidations.build(state.master, tag, ats, ssid, rangeShift, false);
  }

  /** Unref, flush and free a dead tag, purge and publish. Tag-lock holder only. */
  private void retire(Side old) {
    assert tagLock.isHeldByCurrentThread();
    InvalidationArray current = old.merged != null ? old.merged : old.domain.invalidations().get();
    InvalidationArray.unref(current, old.list);
    EarlyFree key = new EarlyFree(old.domain, old.tag.smmu(), old.tag.id());
    if (old.list.usersLocked(0) == 0) {
      if (!earlyFreed.remove(key)) {
        tags.freeCacheTag(old.tag, true);
      }
    } else if (options.injects(Injection.EARLY_TAG_FREE) && earlyFreed.add(key)) {
      tags.freeCacheTag(old.tag, false);
    }
    InvalidationArray purged = InvalidationArray.purge(current);
    if (purged != null) {
      old.domain.invalidations().setRelease(purged);
    }
  }

  private void ensureCdTable(MasterState state) throws AllocatorExhaustedException, BusAbort {
    if (state.cdTable == null) {
      state.cdTable = state.smmu.newCdTable(state.master.ssidBits());
    }
    state.cdTable.ensureLeaf(0);
  }

  private void writeEntries(MasterState state, Domain next, Side newSide, boolean ats)
      throws BusAbort {
    SmmuDevice smmu = state.smmu;
    Ste ste;
    switch (next.type()) {
      case PAGING_S1 -> {
        IoPageTable table = newSide.domain.table();
        Cd cd =
            ContextDescriptors.s1Domain(
                newSide.tag.id(), table.ttbr(), table.tcr(), table.mair(), false);
        try {
          smmu.installCd(state.cdTable, state.master.streamIds(), 0, cd);
        } catch (AllocatorExhaustedException e) {
          throw new IllegalStateException("the CD leaf was allocated during prepare", e);
        }
        ste = cdTableSte(state, SteFields.S1DSS_SSID0, ats);
      }
      case PAGING_S2 -> {
        IoPageTable table = newSide.domain.table();
        ste =
            StreamTableEntries.s2Domain(
                smmu.entryOptions(),
                table.ttbr(),
                table.vtcr(),
                newSide.tag.id(),
                ats,
                false,
                false);
      }
      case IDENTITY ->
          ste =
              state.pasids.isEmpty()
                  ? StreamTableEntries.bypass(smmu.entryOptions())
                  : cdTableSte(state, SteFields.S1DSS_BYPASS, ats);
      default ->
          ste =
              state.pasids.isEmpty()
                  ? StreamTableEntries.abort()
                  : cdTableSte(state, SteFields.S1DSS_SSID0, ats);
    }
    for (int sid : state.master.streamIds()) {
      smmu.installSte(sid, ste);
    }
    boolean hadS1 = state.domain.type() == DomainType.PAGING_S1;
    if (hadS1 && next.type() != DomainType.PAGING_S1) {
      try {
        smmu.installCd(state.cdTable, state.master.streamIds(), 0, Cd.invalid());
      } catch (AllocatorExhaustedException e) {
        throw new IllegalStateException("CD 0 was in use, its leaf exists", e);
      }
    }
  }

  private static Ste cdTableSte(MasterState state, int s1dss, boolean ats) {
    return StreamTableEntries.cdTable(
        state.smmu.entryOptions(),
        state.cdTable.base(),
        state.cdTable.s1Fmt(),
        state.cdTable.s1CdMax(),
        s1dss,
        ats,
        false);
  }

  // ---------------------------------------------------------------- SubstreamIDs

  /**
   * Attaches SubstreamID {@code ssid} (PASID) of {@code master} to a stage-1 domain (Linux {@code
   * arm_smmu_set_pasid}): the same steps as a stream attach, with the CD of {@code ssid} switched
   * instead of the STE. The stream's STE becomes (or stays) a CD-table STE: with the stream
   * blocked, traffic without a SubstreamID uses the invalid CD 0 and is refused; with the stream on
   * the identity domain it bypasses stage 1. ATC invalidations for the attachment carry the
   * SubstreamID. A master with ATS uses it for its SubstreamIDs: if the stream had ATS off (blocked
   * or identity), the CD-table STE is installed with EATS on, then the ATC is flushed and ATS
   * enabled. When the last SubstreamID of a blocked or identity stream is detached, the STE goes
   * back to abort or bypass with ATS off.
   *
   * @throws AttachException if the master or instance has no SubstreamIDs, {@code ssid} is 0 or out
   *     of range, the stream is on a stage-2 domain, or as for {@link #attach}
   */
  public void attachPasid(Master master, int ssid, PagingDomain domain)
      throws AttachException, BusAbort {
    MasterState state = state(master);
    tagLock.lock();
    try {
      SmmuDevice smmu = state.smmu;
      int bits = Math.min(master.ssidBits(), smmu.features().ssidBits());
      if (bits == 0 || ssid <= 0 || ssid >= 1 << bits) {
        throw new AttachException(
            AttachException.Kind.UNSUPPORTED,
            "SubstreamID " + ssid + " is not usable on " + master + " behind " + smmu.name());
      }
      if (domain.type() != DomainType.PAGING_S1) {
        throw new AttachException(
            AttachException.Kind.UNSUPPORTED, "SubstreamIDs attach to stage-1 domains only");
      }
      if (state.domain.type() == DomainType.PAGING_S2) {
        throw new AttachException(
            AttachException.Kind.UNSUPPORTED, master + " streams through a stage-2 domain");
      }
      if (!canShare(domain, smmu)) {
        throw new AttachException(
            AttachException.Kind.CANNOT_SHARE,
            smmu.name() + " cannot use the page table of " + domain.name());
      }
      PagingDomain old = state.pasids.get(ssid);
      boolean atsNext = state.atsEnabled || atsCapable(state);
      Side newSide = prepareNew(domain, state, atsNext, ssid);
      Side oldSide;
      try {
        oldSide = old == null ? null : prepareOld(old, state, state.atsEnabled, ssid, newSide);
        ensureCdTable(state);
        state.cdTable.ensureLeaf(ssid);
      } catch (AllocatorExhaustedException e) {
        abandon(newSide);
        throw new AttachException(AttachException.Kind.OUT_OF_MEMORY, e.getMessage());
      } catch (RuntimeException | BusAbort e) {
        abandon(newSide);
        throw e;
      }
      domain.invalidations().setRelease(newSide.merged);
      IoPageTable table = domain.table();
      try {
        smmu.installCd(
            state.cdTable,
            master.streamIds(),
            ssid,
            ContextDescriptors.s1Domain(
                newSide.tag.id(), table.ttbr(), table.tcr(), table.mair(), false));
      } catch (AllocatorExhaustedException e) {
        throw new IllegalStateException("the CD leaf was allocated during prepare", e);
      }
      state.pasids.put(ssid, domain);
      if (state.domain.type() != DomainType.PAGING_S1) {
        int s1dss =
            state.domain.type() == DomainType.IDENTITY
                ? SteFields.S1DSS_BYPASS
                : SteFields.S1DSS_SSID0;
        for (int sid : master.streamIds()) {
          smmu.installSte(sid, cdTableSte(state, s1dss, atsNext));
        }
      }
      if (state.atsEnabled) {
        flushAtcPasid(state, ssid);
      } else if (atsNext) {
        flushAtc(state);
        state.ats.setAtsEnabled(true);
        state.atsEnabled = true;
      }
      if (oldSide != null) {
        retire(oldSide);
      }
    } finally {
      tagLock.unlock();
    }
  }

  /** Detaches SubstreamID {@code ssid} of {@code master}: its CD becomes invalid. */
  public void detachPasid(Master master, int ssid) throws BusAbort {
    MasterState state = state(master);
    tagLock.lock();
    try {
      PagingDomain old = state.pasids.get(ssid);
      if (old == null) {
        return;
      }
      Side oldSide = prepareOld(old, state, state.atsEnabled, ssid, null);
      try {
        state.smmu.installCd(state.cdTable, master.streamIds(), ssid, Cd.invalid());
      } catch (AllocatorExhaustedException e) {
        throw new IllegalStateException("the CD leaf exists while the SubstreamID is attached", e);
      }
      state.pasids.remove(ssid);
      if (state.atsEnabled) {
        flushAtcPasid(state, ssid);
      }
      retire(oldSide);
      if (state.pasids.isEmpty() && !(state.domain instanceof PagingDomain)) {
        downgradeStream(state);
      }
    } finally {
      tagLock.unlock();
    }
  }

  /**
   * After the last SubstreamID of a blocked or identity stream left: the STE goes back to abort or
   * bypass and ATS off (disabled on the device before the switch, the ATC flushed after).
   */
  private void downgradeStream(MasterState state) throws BusAbort {
    assert tagLock.isHeldByCurrentThread();
    boolean ats = state.atsEnabled;
    if (ats) {
      state.ats.setAtsEnabled(false);
    }
    writeEntries(state, state.domain, null, false);
    if (ats) {
      flushAtc(state);
    }
    state.atsEnabled = false;
  }

  /** Flushes what the master's ATCs hold for {@code ssid}, on each of its streams. */
  private void flushAtcPasid(MasterState state, int ssid) throws BusAbort {
    flushAtc(state, sid -> AtcInvalidation.command(sid, ssid, 0, 0));
  }

  /** Flushes the master's whole ATC, on each of its streams. */
  private void flushAtc(MasterState state) throws BusAbort {
    flushAtc(state, AtcInvalidation::all);
  }

  private void flushAtc(MasterState state, IntFunction<Command> perStream) throws BusAbort {
    List<Command> flush = new ArrayList<>();
    for (int sid : state.master.streamIds()) {
      flush.add(perStream.apply(sid));
    }
    state.smmu.commands().submit(flush);
  }

  // ---------------------------------------------------------------- queries

  /** The domain {@code master}'s stream is attached to. */
  public Domain domainOf(Master master) {
    MasterState state = state(master);
    tagLock.lock();
    try {
      return state.domain;
    } finally {
      tagLock.unlock();
    }
  }

  /** Whether ATS is in use for {@code master}. */
  public boolean atsEnabled(Master master) {
    MasterState state = state(master);
    tagLock.lock();
    try {
      return state.atsEnabled;
    } finally {
      tagLock.unlock();
    }
  }

  /** The live tag of {@code domain} on {@code smmu}, or {@code null}. */
  public CacheTag tagOf(PagingDomain domain, SmmuId smmu) {
    tagLock.lock();
    try {
      return tags.findCacheTag(domain.invalidations(), domain.tagType(), smmu);
    } finally {
      tagLock.unlock();
    }
  }

  /** ASIDs and VMIDs allocated on {@code smmu}. */
  public CacheTags.TagUsage tagUsage(SmmuId smmu) {
    tagLock.lock();
    try {
      return tags.usage(smmu);
    } finally {
      tagLock.unlock();
    }
  }

  /** The paging domains made by this driver. */
  public Collection<PagingDomain> domains() {
    return List.copyOf(domains);
  }

  /** The driver's tag lock, for checkers that read arrays and tags consistently. */
  public ReentrantLock tagLock() {
    return tagLock;
  }

  // ---------------------------------------------------------------- InvalidationQueues

  @Override
  public boolean rangeInvalidation(SmmuId smmu) {
    return instance(smmu).features().rangeInvalidation();
  }

  @Override
  public void submit(SmmuId smmu, CommandBatch commands) {
    if (options.injects(Injection.MISSING_SYNC)) {
      try {
        instance(smmu).commands().post(commands);
      } catch (BusAbort abort) {
        listener.syncTimeout(instance(smmu).name(), "command queue memory aborted: " + abort);
      }
      return;
    }
    submitAndWait(smmu, commands);
  }

  /** A dying tag's flush: {@link CacheTags} releases the id only if this returns true. */
  private boolean flushTag(SmmuId smmu, Command flush) {
    return submitAndWait(smmu, CommandBatch.of(flush));
  }

  /**
   * Sends a batch with its CMD_SYNC and waits; a timeout or a queue memory abort is reported to the
   * listener (the queue reports its own timeouts) and returns false.
   */
  private boolean submitAndWait(SmmuId smmu, CommandBatch commands) {
    SmmuDevice device = instance(smmu);
    try {
      return device.commands().submit(commands);
    } catch (BusAbort abort) {
      listener.syncTimeout(device.name(), "command queue memory aborted: " + abort);
      return false;
    }
  }

  private SmmuDevice instance(SmmuId id) {
    SmmuDevice device = instances.get(id);
    if (device == null) {
      throw new IllegalArgumentException("no instance " + id);
    }
    return device;
  }

  private MasterState state(Master master) {
    MasterState state = masters.get(master);
    if (state == null) {
      throw new IllegalArgumentException("unknown master " + master);
    }
    return state;
  }

  /** The identity domain (bypass STEs). */
  public static IdentityDomain identity() {
    return IdentityDomain.INSTANCE;
  }
}
