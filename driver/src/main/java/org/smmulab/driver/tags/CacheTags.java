package org.smmulab.driver.tags;

import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.smmulab.arch.cmd.Command;
import org.smmulab.driver.invs.Invalidation;
import org.smmulab.driver.invs.InvalidationArray;
import org.smmulab.driver.invs.InvalidationType;
import org.smmulab.driver.invs.SmmuId;

/**
 * Finds, allocates and frees IOTLB cache tags. The ids themselves live in per-instance allocators
 * (or one global ASID allocator, see {@link AsidSpace}); which domain holds which id is recorded
 * only in the domains' invalidation arrays.
 *
 * <p>Locking: every method requires the driver's tag lock (the kernel's {@code arm_smmu_asid_lock})
 * held by the calling thread, asserted under {@code -ea}. A caller keeps holding it for as long as
 * a {@link CacheTag} is alive on its stack — from find or get until the tag is merged into an array
 * and written into an STE/CD, or freed — since otherwise another thread could free or reuse the id
 * underneath it.
 */
public final class CacheTags {
  private final ReentrantLock tagLock;
  private final AsidSpace asidSpace;
  private final TagFlushQueue queues;
  private final boolean skipFlush;
  private final IdAllocator globalAsids = new IdAllocator("ASID");
  private final Map<SmmuId, Instance> instances = new LinkedHashMap<>();

  /**
   * @param tagLock the driver's tag lock
   * @param asidSpace per-instance or global ASIDs
   * @param queues where a dying tag's flush is sent
   */
  public CacheTags(ReentrantLock tagLock, AsidSpace asidSpace, TagFlushQueue queues) {
    this(tagLock, asidSpace, queues, false);
  }

  /**
   * @param skipFlush the injected bug {@code skip-tag-flush}: dying tags are freed unflushed
   */
  public CacheTags(
      ReentrantLock tagLock, AsidSpace asidSpace, TagFlushQueue queues, boolean skipFlush) {
    this.tagLock = Objects.requireNonNull(tagLock, "tagLock");
    this.asidSpace = Objects.requireNonNull(asidSpace, "asidSpace");
    this.queues = Objects.requireNonNull(queues, "queues");
    this.skipFlush = skipFlush;
  }

  /**
   * Registers an instance's id widths (from IDR0.ASID16 / VMID16). Requires the tag lock.
   *
   * @param e2h whether the instance's stage-1 streams run at EL2 (tag flushes use TLBI_EL2_ASID)
   * @throws IllegalStateException if the instance is already registered
   */
  public void addInstance(SmmuId smmu, int asidBits, int vmidBits, boolean e2h) {
    assert tagLock.isHeldByCurrentThread() : "addInstance requires the tag lock";
    if (instances.containsKey(smmu)) {
      throw new IllegalStateException(smmu + " is already registered");
    }
    instances.put(smmu, new Instance(smmu, asidBits, vmidBits, e2h));
  }

  /**
   * The tag the domain already uses on {@code smmu} (Linux {@code arm_smmu_find_iotlb_tag}): the
   * first live entry of {@code type} for that instance in the domain's current array, or {@code
   * null}. Never allocates. Requires the tag lock, held for as long as the returned tag is used.
   */
  public CacheTag findCacheTag(
      AtomicReference<InvalidationArray> domainInvs, InvalidationType type, SmmuId smmu) {
    assert tagLock.isHeldByCurrentThread() : "findCacheTag requires the tag lock";
    requireTagType(type);
    InvalidationArray invs = domainInvs.get();
    for (int i = 0; i < invs.numInvsLocked(); i++) {
      Invalidation e = invs.entryLocked(i);
      int users = invs.usersLocked(i);
      if (e.type() == type && e.smmu().equals(smmu) && users != 0) {
        return new CacheTag(smmu, type, e.id(), users);
      }
    }
    return null;
  }

  /**
   * The domain's tag on {@code smmu}, found, or else allocated (lowest free id): the function the
   * kernel's series first called "alloc". A fresh tag has {@code users == 0} and is not yet in any
   * array; if the attach that asked for it fails before merging it, free it with {@link
   * #freeCacheTag(CacheTag, boolean) freeCacheTag(tag, false)}. Requires the tag lock, held for as
   * long as the returned tag is used.
   *
   * @throws TagExhaustedException if a new id was needed and none is free; nothing changed
   */
  public CacheTag getCacheTag(
      AtomicReference<InvalidationArray> domainInvs, InvalidationType type, SmmuId smmu)
      throws TagExhaustedException {
    assert tagLock.isHeldByCurrentThread() : "getCacheTag requires the tag lock";
    CacheTag found = findCacheTag(domainInvs, type, smmu);
    if (found != null) {
      return found;
    }
    Instance instance = instance(smmu);
    int id =
        type == InvalidationType.S1_ASID
            ? asidAllocator(instance).allocate(instance.maxAsid(), smmu.toString())
            : instance.vmids.allocate(instance.maxVmid(), smmu.toString());
    return new CacheTag(smmu, type, id, 0);
  }

  /**
   * Releases a tag whose last user left. With {@code flush}, first removes everything the tag may
   * have cached on its instance — TLBI_NH_ASID (TLBI_EL2_ASID with E2H) or TLBI_S12_VMALL — and
   * waits for the CMD_SYNC: an id that no array holds must leave nothing behind in the IOTLB, since
   * the next domain to get it sends no invalidation for what it never mapped. A fresh tag freed on
   * an error path was never installed and needs no flush (and sends no command at all).
   *
   * <p>If the flush does not complete (the CMD_SYNC timed out, or the queue memory aborted), the id
   * is not released: it stays allocated and is counted as quarantined ({@link #usage}), because
   * handing it to another domain could let that domain hit what the old one left behind. Requires
   * the tag lock.
   *
   * @return whether the id was released; {@code false} when it was quarantined
   */
  public boolean freeCacheTag(CacheTag tag, boolean flush) {
    assert tagLock.isHeldByCurrentThread() : "freeCacheTag requires the tag lock";
    Instance instance = instance(tag.smmu());
    boolean asid = tag.type() == InvalidationType.S1_ASID;
    if (flush && !skipFlush && !queues.flush(tag.smmu(), flushCommand(tag, instance.e2h))) {
      (asid ? instance.quarantinedAsids : instance.quarantinedVmids).set(tag.id());
      return false;
    }
    if (asid) {
      asidAllocator(instance).free(tag.id());
    } else {
      instance.vmids.free(tag.id());
    }
    return true;
  }

  /** The command that removes everything {@code tag} may have cached. */
  public static Command flushCommand(CacheTag tag, boolean e2h) {
    requireTagType(tag.type());
    if (tag.type() == InvalidationType.S1_ASID) {
      return e2h ? Command.tlbiEl2Asid(tag.id()) : Command.tlbiNhAsid(0, tag.id());
    }
    return Command.tlbiS12Vmall(tag.id());
  }

  /**
   * Ids in use on {@code smmu}: ASIDs (with a global space, those of every instance) and VMIDs.
   * Requires the tag lock.
   */
  public TagUsage usage(SmmuId smmu) {
    assert tagLock.isHeldByCurrentThread() : "usage requires the tag lock";
    Instance instance = instance(smmu);
    return new TagUsage(
        asidAllocator(instance).inUseCount(),
        instance.vmids.inUseCount(),
        instance.quarantinedAsids.cardinality() + instance.quarantinedVmids.cardinality());
  }

  /** Whether {@code id} of {@code type} is allocated on {@code smmu}. Requires the tag lock. */
  public boolean isAllocated(SmmuId smmu, InvalidationType type, int id) {
    assert tagLock.isHeldByCurrentThread() : "isAllocated requires the tag lock";
    Instance instance = instance(smmu);
    return type == InvalidationType.S1_ASID
        ? asidAllocator(instance).inUse(id)
        : instance.vmids.inUse(id);
  }

  /**
   * Ids in use on one instance.
   *
   * @param asids ASIDs allocated (quarantined ones included)
   * @param vmids VMIDs allocated (quarantined ones included)
   * @param quarantined ids kept out of use because their flush did not complete
   */
  public record TagUsage(int asids, int vmids, int quarantined) {}

  private IdAllocator asidAllocator(Instance instance) {
    return asidSpace == AsidSpace.GLOBAL ? globalAsids : instance.asids;
  }

  private Instance instance(SmmuId smmu) {
    Instance instance = instances.get(smmu);
    if (instance == null) {
      throw new IllegalArgumentException(smmu + " is not a registered instance");
    }
    return instance;
  }

  private static void requireTagType(InvalidationType type) {
    if (type != InvalidationType.S1_ASID && type != InvalidationType.S2_VMID) {
      throw new IllegalArgumentException(type + " is not a cache tag type (S1_ASID or S2_VMID)");
    }
  }

  /** One instance's id spaces and widths. */
  private static final class Instance {
    final int asidBits;
    final int vmidBits;
    final boolean e2h;
    final IdAllocator asids = new IdAllocator("ASID");
    final IdAllocator vmids = new IdAllocator("VMID");
    final BitSet quarantinedAsids = new BitSet();
    final BitSet quarantinedVmids = new BitSet();

    Instance(SmmuId smmu, int asidBits, int vmidBits, boolean e2h) {
      if (asidBits != 8 && asidBits != 16 || vmidBits != 8 && vmidBits != 16) {
        throw new IllegalArgumentException(
            smmu + ": ASID and VMID widths must be 8 or 16, got " + asidBits + "/" + vmidBits);
      }
      this.asidBits = asidBits;
      this.vmidBits = vmidBits;
      this.e2h = e2h;
    }

    int maxAsid() {
      return (1 << asidBits) - 1;
    }

    int maxVmid() {
      return (1 << vmidBits) - 1;
    }
  }
}
