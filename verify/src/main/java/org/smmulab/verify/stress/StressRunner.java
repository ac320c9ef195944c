package org.smmulab.verify.stress;

import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.smmulab.arch.pte.Granule;
import org.smmulab.arch.pte.Stage;
import org.smmulab.driver.SmmuDriver;
import org.smmulab.driver.alloc.PageAllocator;
import org.smmulab.driver.alloc.RamRange;
import org.smmulab.driver.attach.AttachException;
import org.smmulab.driver.attach.Master;
import org.smmulab.driver.domain.BlockedDomain;
import org.smmulab.driver.domain.Domain;
import org.smmulab.driver.domain.PagingDomain;
import org.smmulab.driver.inject.Injection;
import org.smmulab.driver.invs.Invalidation;
import org.smmulab.driver.invs.InvalidationArray;
import org.smmulab.driver.pgtable.Prot;
import org.smmulab.driver.pgtable.UnmapResult;
import org.smmulab.driver.queue.QueueListener;
import org.smmulab.driver.smmu.DriverOptions;
import org.smmulab.driver.tags.AsidSpace;
import org.smmulab.hw.memory.PhysicalMemory;
import org.smmulab.hw.pcie.DmaRequest;
import org.smmulab.hw.pcie.DmaResult;
import org.smmulab.hw.pcie.Endpoint;
import org.smmulab.hw.smmu.Smmu;
import org.smmulab.hw.smmu.SmmuConfig;
import org.smmulab.hw.smmu.SmmuPresets;
import org.smmulab.hw.smmu.observe.SmmuStatistics;
import org.smmulab.verify.oracle.LogicalClock;
import org.smmulab.verify.oracle.Oracle;
import org.smmulab.verify.oracle.Violation;
import org.smmulab.verify.oracle.ViolationClass;

/**
 * Runs a seeded workload: one thread performs driver operations (map and unmap of pages, unmaps
 * that free table pages, attach, detach and re-attach across shared stage-1 and stage-2 domains, so
 * tags churn and are reused lowest-first), followed at once by adversarial DMAs to what was just
 * removed; {@code dmaThreads} threads issue DMA spread over devices, domains and pages. The oracle
 * judges every DMA. At the end everything is detached and unmapped and the invariants are checked:
 * arrays sorted without trash, and no tag left on any instance.
 *
 * <p>Layout: each domain maps 4 KiB pages in a 256-page window at {@link #IOVA_BASE}, and uses 2
 * MiB regions above it for the table-freeing unmaps; each domain's pages come from its own physical
 * range, so a translation of another domain is recognisable as such.
 */
public final class StressRunner {
  /** Violations kept in the result. */
  public static final int KEPT_VIOLATIONS = 20;

  static final long IOVA_BASE = 0x1_0000_0000L;
  static final int PAGES = 256;
  static final long REGION_BASE = IOVA_BASE + 0x4000_0000L;
  static final int REGIONS = 8;
  static final int PASIDS = 3;
  private static final long RAM = 0x4000_0000L;
  private static final long DATA = 0x8_0000_0000L;
  private static final int MAX_LOG_LINES = 1_000_000;

  private final StressConfig config;
  private final Consumer<String> progress;
  private final LogicalClock clock = new LogicalClock();
  private final Oracle oracle = new Oracle(clock);
  private final AtomicLong dmas = new AtomicLong();
  private final AtomicLong violationCount = new AtomicLong();
  private final AtomicLong dmaViolationCount = new AtomicLong();
  private final List<Violation> violations = new CopyOnWriteArrayList<>();
  private final List<String> log = new ArrayList<>();
  private volatile List<String> logAtFirstViolation;
  private boolean stopAtFirstViolation;

  /**
   * @param progress receives a progress line about once a second (may be a no-op)
   */
  public StressRunner(StressConfig config, Consumer<String> progress) {
    this.config = config;
    this.progress = progress;
  }

  /**
   * Makes the run end as soon as a DMA outcome is found in violation (for fault-injection checks
   * that only need one); invariant violations do not end it, since an injected bug must be caught
   * through what the hardware did.
   *
   * @return this runner
   */
  public StressRunner stopAtFirstViolation() {
    this.stopAtFirstViolation = true;
    return this;
  }

  /** Runs the workload and returns what it found. */
  public StressResult run() throws Exception {
    PhysicalMemory memory = new PhysicalMemory(44);
    PageAllocator allocator = new PageAllocator(memory, List.of(new RamRange(RAM, 512L << 20)));
    DriverOptions options =
        new DriverOptions(
            12, 10, Duration.ofSeconds(10), AsidSpace.PER_INSTANCE, config.injections());
    SmmuDriver driver = new SmmuDriver(memory, allocator, options, QueueListener.NONE);
    SmmuConfig hwConfig = SmmuPresets.named(config.preset());
    List<Smmu> smmus = new ArrayList<>();
    try {
      for (int i = 0; i < config.smmus(); i++) {
        SmmuConfig c =
            hwConfig.toBuilder()
                .model(smallConfigCache(hwConfig.model(), config.seed() + i))
                .build();
        Smmu smmu = new Smmu("smmu" + i, c, memory);
        smmus.add(smmu);
        driver.addInstance("smmu" + i, smmu.registers(), smmu.interrupts());
      }
      World world = new World(driver, memory, smmus);
      return drive(world);
    } finally {
      for (Smmu s : smmus) {
        s.close();
      }
    }
  }

  private static SmmuConfig.ModelKnobs smallConfigCache(SmmuConfig.ModelKnobs k, long seed) {
    return new SmmuConfig.ModelKnobs(
        k.tlbEntries(),
        k.replacement(),
        seed,
        k.walkCache(),
        k.walkCacheEntries(),
        Math.min(k.configCacheEntries(), 16),
        k.speculativeFill(),
        k.strictTtl(),
        k.strictReservedEncodings(),
        k.asyncCommands());
  }

  /** Devices, masters, domains and the driver thread's view of what is mapped and attached. */
  private final class World {
    final SmmuDriver driver;
    final List<Smmu> smmus;
    final List<Endpoint> endpoints = new ArrayList<>();
    final List<Master> masters = new ArrayList<>();
    final List<PagingDomain> domains = new ArrayList<>();
    final BitSet[] mapped;
    final boolean[][] regionMapped;
    final AtomicReferenceArray<Domain> attachedTo;

    /** Per device, the domain of each SubstreamID 1..{@value #PASIDS} (index 0 unused). */
    final AtomicReferenceArray<Domain> pasidDomain;

    final boolean[] hasPasids;
    final AtomicReferenceArray<long[]> mappedSnapshot;
    final long[] nextPa;

    World(SmmuDriver driver, PhysicalMemory memory, List<Smmu> smmus) throws Exception {
      this.driver = driver;
      this.smmus = smmus;
      for (int i = 0; i < config.devices(); i++) {
        int s = i % smmus.size();
        int sid = 0x10 + i;
        Smmu smmu = smmus.get(s);
        boolean ats = i % 2 == 0 && smmu.config().ats();
        Endpoint ep =
            ats
                ? Endpoint.withAts("dev" + i, memory, smmu, 32, config.seed() + i, sid)
                : Endpoint.withoutAts("dev" + i, memory, smmu, sid);
        smmu.connect(ep);
        endpoints.add(ep);
        boolean pasids = i % 4 == 1 && smmu.config().ssidBits() > 0;
        masters.add(
            driver.addMaster(
                "dev" + i,
                driver.instances().get(s).id(),
                new int[] {sid},
                ats ? ep : null,
                pasids ? 4 : 0));
      }
      hasPasids = new boolean[endpoints.size()];
      pasidDomain = new AtomicReferenceArray<>(endpoints.size() * (PASIDS + 1));
      for (int i = 0; i < endpoints.size(); i++) {
        hasPasids[i] = masters.get(i).ssidBits() > 0;
      }
      for (int d = 0; d < config.domains(); d++) {
        Stage stage = d % 2 == 0 || !smmus.get(0).config().stage2() ? Stage.STAGE_1 : Stage.STAGE_2;
        PagingDomain domain = driver.newPagingDomain("d" + d, stage, Granule.SIZE_4K, 48, 48);
        oracle.register(domain);
        domains.add(domain);
      }
      mapped = new BitSet[domains.size()];
      regionMapped = new boolean[domains.size()][REGIONS];
      mappedSnapshot = new AtomicReferenceArray<>(domains.size());
      nextPa = new long[domains.size()];
      for (int d = 0; d < domains.size(); d++) {
        mapped[d] = new BitSet();
        mappedSnapshot.set(d, new long[0]);
      }
      attachedTo = new AtomicReferenceArray<>(endpoints.size());
      for (int i = 0; i < endpoints.size(); i++) {
        attachedTo.set(i, BlockedDomain.INSTANCE);
      }
    }

    long freshPa(int d) {
      long page = nextPa[d]++ % 4096;
      return DATA + ((long) d << 28) + page * 4096;
    }

    void publishSnapshot(int d) {
      mappedSnapshot.set(d, mapped[d].stream().mapToLong(p -> IOVA_BASE + p * 4096L).toArray());
    }
  }

  private StressResult drive(World w) throws Exception {
    long startNanos = System.nanoTime();
    long deadline =
        config.seconds() > 0 ? startNanos + (long) (config.seconds() * 1e9) : Long.MAX_VALUE;
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLongArray inFlight = new AtomicLongArray(config.dmaThreads() + 1);
    for (int i = 0; i < inFlight.length(); i++) {
      inFlight.set(i, Long.MAX_VALUE);
    }
    List<Thread> dmaThreads = new ArrayList<>();
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    for (int t = 0; t < config.dmaThreads(); t++) {
      int index = t;
      Thread thread =
          new Thread(
              () -> {
                try {
                  dmaLoop(w, index, stop, inFlight);
                } catch (Throwable e) {
                  failures.add(e);
                }
              },
              "dma-" + t);
      thread.setDaemon(true);
      dmaThreads.add(thread);
      thread.start();
    }
    SplittableRandom random = new SplittableRandom(config.seed());
    long operations = 0;
    long nextProgress = startNanos + 1_000_000_000L;
    try {
      while (!stop.get()) {
        if (config.seconds() > 0
            ? System.nanoTime() >= deadline
            : operations >= config.operations()) {
          break;
        }
        if (stopAtFirstViolation && dmaViolationCount.get() > 0) {
          break;
        }
        operate(w, random, inFlight);
        operations++;
        checkTags(w);
        if ((operations & 0x3FF) == 0) {
          oracle.prune(lowWater(inFlight));
        }
        if (System.nanoTime() >= nextProgress) {
          nextProgress += 1_000_000_000L;
          progress.accept(
              String.format(
                  "%5.1f s  %,d operations  %,d DMAs checked  %,d violations",
                  (System.nanoTime() - startNanos) / 1e9,
                  operations,
                  dmas.get(),
                  violationCount.get()));
        }
      }
    } finally {
      stop.set(true);
      for (Thread t : dmaThreads) {
        t.join();
      }
    }
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    if (!failures.isEmpty()) {
      Throwable f = failures.get(0);
      throw new IllegalStateException("a DMA thread failed: " + f, f);
    }
    checkInvariants(w);
    return new StressResult(
        config.seed(),
        seconds,
        operations,
        dmas.get(),
        tlbHitRatio(w),
        violationCount.get(),
        List.copyOf(violations),
        config.injections().isEmpty()
            ? null
            : config.injections().stream()
                .map(Injection::label)
                .sorted()
                .collect(Collectors.joining(",")),
        logAtFirstViolation != null ? logAtFirstViolation : snapshotLog());
  }

  private List<String> snapshotLog() {
    synchronized (log) {
      return List.copyOf(log);
    }
  }

  private static long lowWater(AtomicLongArray inFlight) {
    long low = Long.MAX_VALUE;
    for (int i = 0; i < inFlight.length(); i++) {
      low = Math.min(low, inFlight.get(i));
    }
    return low == Long.MAX_VALUE ? Long.MAX_VALUE - 1 : low;
  }

  private void note(String line) {
    synchronized (log) {
      if (logAtFirstViolation == null && log.size() < MAX_LOG_LINES) {
        log.add(line);
      }
    }
  }

  // ---------------------------------------------------------------- driver operations

  private void operate(World w, SplittableRandom random, AtomicLongArray inFlight)
      throws Exception {
    int roll = random.nextInt(100);
    int d = random.nextInt(w.domains.size());
    PagingDomain domain = w.domains.get(d);
    if (roll < 38) {
      int page = random.nextInt(PAGES);
      if (w.mapped[d].get(page)) {
        return;
      }
      long iova = IOVA_BASE + page * 4096L;
      int prot = random.nextInt(5) == 0 ? Prot.READ : Prot.READ | Prot.WRITE;
      map(w, d, iova, 4096, prot);
      w.mapped[d].set(page);
      w.publishSnapshot(d);
    } else if (roll < 68) {
      int page = w.mapped[d].isEmpty() ? -1 : pick(w.mapped[d], random);
      if (page < 0) {
        return;
      }
      long iova = IOVA_BASE + page * 4096L;
      w.mapped[d].clear(page);
      w.publishSnapshot(d);
      unmap(w, d, iova, 4096);
      probe(w, domain, iova, random, inFlight);
    } else if (roll < 76) {
      int region = random.nextInt(REGIONS);
      long base = REGION_BASE + region * 0x20_0000L;
      if (!w.regionMapped[d][region]) {
        if (random.nextBoolean()) {
          map(w, d, base + random.nextInt(512) * 4096L, 4096, Prot.READ | Prot.WRITE);
        } else {
          mapBlock(w, d, base);
        }
        w.regionMapped[d][region] = true;
      } else {
        long touched = base + random.nextInt(512) * 4096L;
        probe(w, domain, touched, random, inFlight);
        unmap(w, d, base, 0x20_0000);
        w.regionMapped[d][region] = false;
        for (long p = base; p < base + 0x20_0000; p += 0x40000) {
          probe(w, domain, p, random, inFlight);
        }
      }
    } else if (roll < 89) {
      int dev = random.nextInt(w.endpoints.size());
      attach(w, dev, domain, random, inFlight);
    } else if (roll < 94) {
      int dev = random.nextInt(w.endpoints.size());
      if (w.hasPasids[dev] && domain.type() == org.smmulab.driver.domain.DomainType.PAGING_S1) {
        attachPasid(w, dev, 1 + random.nextInt(PASIDS), random.nextInt(4) == 0 ? null : domain);
      }
    } else {
      int dev = random.nextInt(w.endpoints.size());
      attach(w, dev, BlockedDomain.INSTANCE, random, inFlight);
    }
  }

  private static int pick(BitSet set, SplittableRandom random) {
    int n = set.cardinality();
    int k = random.nextInt(n);
    int page = set.nextSetBit(0);
    for (int i = 0; i < k; i++) {
      page = set.nextSetBit(page + 1);
    }
    return page;
  }

  private void mapBlock(World w, int d, long iova) throws Exception {
    PagingDomain domain = w.domains.get(d);
    long pa = DATA + ((long) d << 28) + 0x800_0000L + (w.nextPa[d]++ % 16) * 0x20_0000L;
    note(String.format("map %s 0x%x -> 0x%x 2M R|W", domain.name(), iova, pa));
    var records = oracle.beginMap(domain, iova, pa, 0x20_0000, Prot.READ | Prot.WRITE);
    boolean ok = false;
    try {
      domain.map(iova, pa, 0x20_0000, Prot.READ | Prot.WRITE);
      ok = true;
    } catch (org.smmulab.driver.pgtable.AlreadyMappedException e) {
      ok = false;
    } finally {
      oracle.endMap(domain, iova, records, ok);
    }
  }

  /** Attaches (or, with a null domain, detaches) SubstreamID {@code ssid} of a device. */
  private void attachPasid(World w, int dev, int ssid, PagingDomain domain) throws Exception {
    String name = w.endpoints.get(dev).name() + "#" + ssid;
    note(String.format("pasid %s -> %s", name, domain == null ? "detached" : domain.name()));
    var record = oracle.beginAttach(name, domain);
    boolean ok = false;
    try {
      if (domain == null) {
        w.driver.detachPasid(w.masters.get(dev), ssid);
      } else {
        w.driver.attachPasid(w.masters.get(dev), ssid, domain);
      }
      ok = true;
    } catch (AttachException e) {
      note("  refused: " + e.getMessage());
    } finally {
      oracle.endAttach(name, record, ok);
    }
    if (ok) {
      w.pasidDomain.set(dev * (PASIDS + 1) + ssid, domain);
    }
  }

  private void map(World w, int d, long iova, long size, int prot) throws Exception {
    PagingDomain domain = w.domains.get(d);
    long pa = w.freshPa(d);
    note(String.format("map %s 0x%x -> 0x%x %s", domain.name(), iova, pa, Prot.describe(prot)));
    var records = oracle.beginMap(domain, iova, pa, size, prot);
    boolean ok = false;
    try {
      domain.map(iova, pa, size, prot);
      ok = true;
    } catch (org.smmulab.driver.pgtable.AlreadyMappedException e) {
      ok = false;
    } finally {
      oracle.endMap(domain, iova, records, ok);
    }
  }

  private void unmap(World w, int d, long iova, long size) throws Exception {
    PagingDomain domain = w.domains.get(d);
    note(String.format("unmap %s 0x%x +0x%x", domain.name(), iova, size));
    var records = oracle.beginUnmap(domain, iova, size);
    UnmapResult r = domain.unmap(iova, size);
    oracle.endUnmap(domain, iova, r.unmappedBytes(), records);
  }

  private void attach(
      World w, int dev, Domain next, SplittableRandom random, AtomicLongArray inFlight)
      throws Exception {
    Domain previous = w.attachedTo.get(dev);
    String name = w.endpoints.get(dev).name();
    note(String.format("attach %s -> %s", name, next.name()));
    var record = oracle.beginAttach(name, next);
    boolean ok = false;
    try {
      w.driver.attach(w.masters.get(dev), next);
      ok = true;
    } catch (AttachException e) {
      note("  refused: " + e.getMessage());
    } finally {
      oracle.endAttach(name, record, ok);
    }
    if (ok) {
      w.attachedTo.set(dev, next);
      if (previous instanceof PagingDomain old && previous != next) {
        long[] pages = w.mappedSnapshot.get(w.domains.indexOf(old));
        if (pages.length > 0) {
          dma(w, dev, pages[random.nextInt(pages.length)], random, inFlight, config.dmaThreads());
        }
      }
    }
  }

  /** An adversarial DMA right after a removal, from a device attached to {@code domain}. */
  private void probe(
      World w, PagingDomain domain, long iova, SplittableRandom random, AtomicLongArray inFlight) {
    for (int i = 0; i < w.endpoints.size(); i++) {
      int dev = (i + random.nextInt(w.endpoints.size())) % w.endpoints.size();
      if (w.attachedTo.get(dev) == domain) {
        dma(w, dev, iova, random, inFlight, config.dmaThreads());
        return;
      }
    }
  }

  // ---------------------------------------------------------------- DMA

  private void dmaLoop(World w, int index, AtomicBoolean stop, AtomicLongArray inFlight) {
    SplittableRandom random = new SplittableRandom(config.seed() * 31 + index + 1);
    while (!stop.get()) {
      int dev = random.nextInt(w.endpoints.size());
      if (w.hasPasids[dev] && random.nextInt(3) == 0) {
        int ssid = 1 + random.nextInt(PASIDS);
        Domain pd = w.pasidDomain.get(dev * (PASIDS + 1) + ssid);
        int pdi = pd instanceof PagingDomain p ? w.domains.indexOf(p) : -1;
        long[] pp = pdi >= 0 ? w.mappedSnapshot.get(pdi) : new long[0];
        long piova =
            pp.length > 0
                ? pp[random.nextInt(pp.length)]
                : IOVA_BASE + random.nextInt(PAGES) * 4096L;
        dmaPasid(w, dev, ssid, piova, random, inFlight, index);
        continue;
      }
      Domain domain = w.attachedTo.get(dev);
      long iova;
      int d = domain instanceof PagingDomain p ? w.domains.indexOf(p) : -1;
      long[] pages = d >= 0 ? w.mappedSnapshot.get(d) : new long[0];
      if (pages.length > 0 && random.nextInt(5) != 0) {
        iova = pages[random.nextInt(pages.length)];
      } else {
        iova = IOVA_BASE + random.nextInt(PAGES) * 4096L;
      }
      dma(w, dev, iova, random, inFlight, index);
    }
  }

  private void dma(
      World w, int dev, long iova, SplittableRandom random, AtomicLongArray inFlight, int slot) {
    Endpoint ep = w.endpoints.get(dev);
    int sid = ep.streamIds()[0];
    long address = iova + (random.nextInt(512) << 3);
    DmaRequest request =
        random.nextInt(10) < 7
            ? DmaRequest.read(sid, address, 8)
            : DmaRequest.write(sid, address, new byte[8]);
    long t0 = clock.tick();
    inFlight.set(slot, t0);
    DmaResult result = ep.dma(request);
    long t1 = clock.tickAfterPublished();
    Violation v = oracle.check(ep.name(), request, result, t0, t1);
    inFlight.set(slot, Long.MAX_VALUE);
    dmas.incrementAndGet();
    if (v != null) {
      report(v);
    }
  }

  private void dmaPasid(
      World w,
      int dev,
      int ssid,
      long iova,
      SplittableRandom random,
      AtomicLongArray inFlight,
      int slot) {
    Endpoint ep = w.endpoints.get(dev);
    int sid = ep.streamIds()[0];
    long address = iova + (random.nextInt(512) << 3);
    DmaRequest request = DmaRequest.read(sid, address, 8).withSubstream(ssid);
    long t0 = clock.tick();
    inFlight.set(slot, t0);
    DmaResult result = ep.dma(request);
    long t1 = clock.tickAfterPublished();
    Violation v = oracle.check(ep.name() + "#" + ssid, request, result, t0, t1);
    inFlight.set(slot, Long.MAX_VALUE);
    dmas.incrementAndGet();
    if (v != null) {
      report(v);
    }
  }

  private void report(Violation v) {
    if (v.kind() != ViolationClass.INVARIANT) {
      dmaViolationCount.incrementAndGet();
    }
    if (violationCount.incrementAndGet() == 1) {
      synchronized (log) {
        logAtFirstViolation = List.copyOf(log);
      }
    }
    if (violations.size() < KEPT_VIOLATIONS) {
      violations.add(v);
    }
  }

  // ---------------------------------------------------------------- end of run

  private void checkInvariants(World w) throws Exception {
    w.driver.tagLock().lock();
    try {
      for (PagingDomain d : w.domains) {
        InvalidationArray invs = d.invalidations().get();
        for (int i = 1; i < invs.numInvs(); i++) {
          Invalidation a = invs.entry(i - 1);
          Invalidation b = invs.entry(i);
          if (Invalidation.compare(a, b) >= 0) {
            invariant(d.name() + ": array not sorted at slot " + i);
          }
        }
        if (invs.numTrashes() != 0) {
          invariant(d.name() + ": " + invs.numTrashes() + " trash slots left after purge");
        }
      }
    } finally {
      w.driver.tagLock().unlock();
    }
    for (Master m : w.masters) {
      for (int ssid = 1; ssid <= PASIDS; ssid++) {
        w.driver.detachPasid(m, ssid);
      }
      w.driver.detach(m);
    }
    for (int d = 0; d < w.domains.size(); d++) {
      PagingDomain domain = w.domains.get(d);
      domain.unmap(IOVA_BASE, PAGES * 4096L);
      for (int r = 0; r < REGIONS; r++) {
        domain.unmap(REGION_BASE + r * 0x20_0000L, 0x20_0000);
      }
      if (domain.invalidations().get().numInvs() != 0) {
        invariant(domain.name() + ": entries left after every master detached");
      }
    }
    for (var instance : w.driver.instances()) {
      var usage = w.driver.tagUsage(instance.id());
      if (usage.asids() != 0 || usage.vmids() != 0) {
        invariant(
            instance.name()
                + ": "
                + usage.asids()
                + " ASIDs and "
                + usage.vmids()
                + " VMIDs still allocated after everything was detached");
      }
    }
  }

  /**
   * After every driver operation: each live tag (users above 0) appears in exactly one domain's
   * array per instance and type, and its id is allocated on that instance.
   */
  private void checkTags(World w) {
    w.driver.tagLock().lock();
    try {
      java.util.Map<String, String> owners = new java.util.HashMap<>();
      for (PagingDomain d : w.domains) {
        InvalidationArray invs = d.invalidations().get();
        for (int i = 0; i < invs.numInvs(); i++) {
          Invalidation e = invs.entry(i);
          if (e.users() == 0 || e.type().isAts()) {
            continue;
          }
          String key = e.smmu() + " " + e.type() + " " + e.id();
          String other = owners.putIfAbsent(key, d.name());
          if (other != null && !other.equals(d.name())) {
            invariant(key + " is live in both " + other + " and " + d.name());
          }
        }
      }
    } finally {
      w.driver.tagLock().unlock();
    }
  }

  private final java.util.Set<String> reportedInvariants = new java.util.HashSet<>();

  private void invariant(String detail) {
    if (!reportedInvariants.add(detail)) {
      return;
    }
    report(new Violation(ViolationClass.INVARIANT, null, -1, 0, -1, 0, 0, "driver", detail));
  }

  private static double tlbHitRatio(World w) {
    long hits = 0;
    long translations = 0;
    for (Smmu s : w.smmus) {
      SmmuStatistics stats = s.statistics();
      hits += stats.tlbHits();
      translations += stats.tlbHits() + stats.walks();
    }
    return translations == 0 ? 0 : (double) hits / translations;
  }
}
