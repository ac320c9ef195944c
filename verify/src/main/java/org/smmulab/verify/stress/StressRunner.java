package org.smmulab.verify.stress;

import static org.smmulab.verify.stress.StressWorld.IOVA_BASE;
import static org.smmulab.verify.stress.StressWorld.PAGES;
import static org.smmulab.verify.stress.StressWorld.PASIDS;
import static org.smmulab.verify.stress.StressWorld.REGIONS;
import static org.smmulab.verify.stress.StressWorld.REGION_BASE;

import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.smmulab.driver.SmmuDriver;
import org.smmulab.driver.alloc.PageAllocator;
import org.smmulab.driver.alloc.RamRange;
import org.smmulab.driver.attach.AttachException;
import org.smmulab.driver.domain.BlockedDomain;
import org.smmulab.driver.domain.Domain;
import org.smmulab.driver.domain.DomainType;
import org.smmulab.driver.domain.PagingDomain;
import org.smmulab.driver.inject.Injection;
import org.smmulab.driver.pgtable.AlreadyMappedException;
import org.smmulab.driver.pgtable.Prot;
import org.smmulab.driver.pgtable.UnmapResult;
import org.smmulab.driver.queue.QueueListener;
import org.smmulab.driver.smmu.DriverOptions;
import org.smmulab.driver.tags.AsidSpace;
import org.smmulab.hw.memory.PhysicalMemory;
import org.smmulab.hw.smmu.Smmu;
import org.smmulab.hw.smmu.SmmuConfig;
import org.smmulab.hw.smmu.SmmuPresets;
import org.smmulab.hw.smmu.observe.SmmuStatistics;
import org.smmulab.verify.oracle.LogicalClock;
import org.smmulab.verify.oracle.Oracle;
import org.smmulab.verify.oracle.Violation;
import org.smmulab.verify.oracle.ViolationClass;

/**
 * Runs a seeded workload on a {@link StressWorld}: one thread performs driver operations (map and
 * unmap of pages and 2 MiB blocks, unmaps that free table pages, attach, detach and re-attach of
 * streams and SubstreamIDs across shared stage-1 and stage-2 domains, half of the stream attaches
 * to another domain of the same stage, so tags churn and are reused lowest-first); {@code
 * dmaThreads} threads issue DMA spread over devices, SubstreamIDs, domains and pages. The oracle
 * judges every DMA. After every operation the tag invariants are checked; at the end everything is
 * detached and unmapped and the remaining invariants are checked ({@link InvariantChecks}).
 *
 * <p>Adversarial probes (DMAs issued by the driver thread itself, judged like the others): after an
 * unmap, to the page just removed; after an attach, to the pages the device used during the switch
 * and to a page of its old domain; when an attach freed a tag, another device of that instance is
 * attached at once so the id is reused; when an unmap freed a table page, a page of another domain
 * is mapped at once (its table likely gets the freed page) before a DMA into the unmapped region.
 * While an attachment is being changed, DMA threads aim half of their DMAs at that device.
 *
 * <p>The instances run the configured preset with the config cache capped at {@value
 * #CONFIG_CACHE_ENTRIES} entries, fewer than the structures the workload keeps live, so that both
 * cached entries and fresh fetches are exercised.
 *
 * <p>Determinism: the operation log depends only on the seed (the driver thread's choices and the
 * driver's answers), so with one DMA thread and synchronous command consumption the same seed gives
 * the same operation log.
 */
public final class StressRunner {
  /** Violations kept in the result. */
  public static final int KEPT_VIOLATIONS = 20;

  /** Operation log lines kept at most. */
  public static final int MAX_LOG_LINES = 1_000_000;

  /** The config cache capacity of every instance. */
  public static final int CONFIG_CACHE_ENTRIES = 16;

  private static final long RAM = 0x4000_0000L;
  private static final int PRUNE_EVERY = 256;

  private final StressConfig config;
  private final Consumer<String> progress;
  private final LogicalClock clock = new LogicalClock();
  private final Oracle oracle = new Oracle(clock);
  private final AtomicLong violationCount = new AtomicLong();
  private final AtomicLongArray violationsByClass =
      new AtomicLongArray(ViolationClass.values().length);
  private final List<Violation> violations = new CopyOnWriteArrayList<>();
  private final List<String> log = new ArrayList<>();
  private final AtomicLong operations = new AtomicLong();
  private final AtomicReference<StressResult.Detection> firstViolation = new AtomicReference<>();
  private final AtomicReference<StressResult.Detection> firstDmaViolation = new AtomicReference<>();
  private final byte[] probeZeros = new byte[8];
  private volatile List<String> logAtFirstViolation;
  private volatile long startNanos;
  private boolean stopAtFirstViolation;
  private UnaryOperator<SmmuConfig> hardware = UnaryOperator.identity();
  private DmaSlots slots;
  private DmaIssuer issuer;
  private InvariantChecks invariants;

  /**
   * @param progress receives a progress line about once a second (may be a no-op)
   */
  public StressRunner(StressConfig config, Consumer<String> progress) {
    this.config = Objects.requireNonNull(config, "config");
    this.progress = Objects.requireNonNull(progress, "progress");
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

  /**
   * Changes the hardware configuration of every instance after the preset and the config cache cap
   * are applied (for example, synchronous command consumption for a deterministic run).
   *
   * @return this runner
   */
  public StressRunner adjustHardware(UnaryOperator<SmmuConfig> adjust) {
    this.hardware = Objects.requireNonNull(adjust, "adjust");
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
    SmmuConfig preset = SmmuPresets.named(config.preset());
    List<Smmu> smmus = new ArrayList<>();
    try {
      for (int i = 0; i < config.smmus(); i++) {
        SmmuConfig c = hardware.apply(instanceConfig(preset, config.seed() + i));
        Smmu smmu = new Smmu("smmu" + i, c, memory);
        smmus.add(smmu);
        driver.addInstance("smmu" + i, smmu.registers(), smmu.interrupts());
      }
      StressWorld world = new StressWorld(driver, memory, smmus, config, oracle);
      slots = new DmaSlots(clock, config.dmaThreads() + 1);
      issuer = new DmaIssuer(world, oracle, slots, this::report);
      invariants = new InvariantChecks(world, this::invariant);
      return drive(world);
    } finally {
      for (Smmu s : smmus) {
        s.close();
      }
    }
  }

  private static SmmuConfig instanceConfig(SmmuConfig preset, long seed) {
    SmmuConfig.ModelKnobs k = preset.model();
    return preset.toBuilder()
        .model(
            k.toBuilder()
                .seed(seed)
                .configCacheEntries(Math.min(k.configCacheEntries(), CONFIG_CACHE_ENTRIES))
                .build())
        .build();
  }

  private StressResult drive(StressWorld w) throws Exception {
    startNanos = System.nanoTime();
    long deadline =
        config.seconds() > 0 ? startNanos + (long) (config.seconds() * 1e9) : Long.MAX_VALUE;
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> dmaThreads = new ArrayList<>();
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    for (int t = 0; t < config.dmaThreads(); t++) {
      int slot = t;
      Thread thread =
          new Thread(
              () -> {
                try {
                  dmaLoop(w, slot, stop);
                } catch (Throwable e) {
                  failures.add(e);
                  stop.set(true);
                }
              },
              "dma-" + t);
      thread.setDaemon(true);
      dmaThreads.add(thread);
      thread.start();
    }
    SplittableRandom random = new SplittableRandom(config.seed());
    long nextProgress = startNanos + 1_000_000_000L;
    try {
      while (!stop.get()) {
        long done = operations.get();
        if (config.seconds() > 0 ? System.nanoTime() >= deadline : done >= config.operations()) {
          break;
        }
        if (stopAtFirstViolation && firstDmaViolation.get() != null) {
          break;
        }
        operate(w, random);
        operations.set(done + 1);
        invariants.checkTags();
        if ((done + 1) % PRUNE_EVERY == 0) {
          oracle.prune(slots.lowWater());
        }
        if (System.nanoTime() >= nextProgress) {
          nextProgress += 1_000_000_000L;
          progress.accept(
              String.format(
                  "%5.1f s  %,d operations  %,d DMAs checked  %,d violations",
                  (System.nanoTime() - startNanos) / 1e9,
                  done + 1,
                  slots.judged(),
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
    long dmasChecked = slots.judged();
    double tlbHitRatio = tlbHitRatio(w);
    invariants.checkAtEnd();
    List<String> operationLog = logAtFirstViolation;
    if (operationLog == null) {
      synchronized (log) {
        operationLog = List.copyOf(log);
      }
    }
    return new StressResult(
        config.seed(),
        seconds,
        operations.get(),
        dmasChecked,
        tlbHitRatio,
        violationCount.get(),
        countsByClass(),
        violations,
        config.injections().isEmpty()
            ? null
            : config.injections().stream()
                .map(Injection::label)
                .sorted()
                .collect(Collectors.joining(",")),
        firstViolation.get(),
        firstDmaViolation.get(),
        operationLog);
  }

  private void note(String line) {
    synchronized (log) {
      if (logAtFirstViolation == null && log.size() < MAX_LOG_LINES) {
        log.add(line);
      }
    }
  }

  // ---------------------------------------------------------------- driver operations

  private void operate(StressWorld w, SplittableRandom random) throws Exception {
    int roll = random.nextInt(100);
    int d = random.nextInt(w.domains.size());
    if (roll < 36) {
      int page = random.nextInt(PAGES);
      if (w.mapped[d].get(page)) {
        return;
      }
      int prot = random.nextInt(5) == 0 ? Prot.READ : Prot.READ | Prot.WRITE;
      if (map(w, d, IOVA_BASE + page * 4096L, w.freshPa(d), 4096, prot)) {
        w.mapped[d].set(page);
        w.publishSnapshot(d);
      }
    } else if (roll < 64) {
      int page = w.mapped[d].isEmpty() ? -1 : pick(w.mapped[d], random);
      if (page < 0) {
        return;
      }
      long iova = IOVA_BASE + page * 4096L;
      w.mapped[d].clear(page);
      w.publishSnapshot(d);
      unmap(w, d, iova, 4096);
      probeDomain(w, d, iova, random);
    } else if (roll < 72) {
      regionOperation(w, d, random);
    } else if (roll < 86) {
      int dev = random.nextInt(w.endpoints.size());
      int current = w.attachedTo.get(dev);
      int next = current >= 0 && random.nextBoolean() ? sameStageSibling(w, current, random) : d;
      attach(w, dev, w.domains.get(next), random);
    } else if (roll < 93) {
      int dev = random.nextInt(w.endpoints.size());
      PagingDomain domain = w.domains.get(d);
      if (w.hasPasids[dev] && domain.type() == DomainType.PAGING_S1) {
        attachPasid(w, dev, 1 + random.nextInt(PASIDS), random.nextInt(4) == 0 ? -1 : d, random);
      }
    } else {
      int dev = random.nextInt(w.endpoints.size());
      attach(w, dev, BlockedDomain.INSTANCE, random);
    }
  }

  /** Another domain of the same stage as domain {@code d} (or {@code d} if it is the only one). */
  private static int sameStageSibling(StressWorld w, int d, SplittableRandom random) {
    DomainType type = w.domains.get(d).type();
    List<Integer> same = new ArrayList<>();
    for (int i = 0; i < w.domains.size(); i++) {
      if (i != d && w.domains.get(i).type() == type) {
        same.add(i);
      }
    }
    return same.isEmpty() ? d : same.get(random.nextInt(same.size()));
  }

  /** Maps or unmaps (freeing its table page) one 2 MiB region of domain {@code d}. */
  private void regionOperation(StressWorld w, int d, SplittableRandom random) throws Exception {
    int region = random.nextInt(REGIONS);
    long base = REGION_BASE + region * 0x20_0000L;
    if (!w.regionMapped[d][region]) {
      boolean ok =
          random.nextBoolean()
              ? map(
                  w,
                  d,
                  base + random.nextInt(512) * 4096L,
                  w.freshPa(d),
                  4096,
                  Prot.READ | Prot.WRITE)
              : map(w, d, base, w.freshBlock(d), 0x20_0000, Prot.READ | Prot.WRITE);
      w.regionMapped[d][region] = ok;
      return;
    }
    long offset = random.nextInt(512) * 4096L;
    probeDomain(w, d, base + offset, random);
    unmap(w, d, base, 0x20_0000);
    w.regionMapped[d][region] = false;
    for (long p = base; p < base + 0x20_0000; p += 0x40000) {
      probeDomain(w, d, p, random);
    }
    reuseFreedTable(w, d, base, offset, random);
  }

  /**
   * After an unmap of the region at {@code base} (which freed its table page if it held pages):
   * maps a page at the same offset in an empty region of another domain — its new table page is
   * likely the one just freed, the allocator handing out the lowest free block — and DMAs from
   * domain {@code d} into the unmapped region, where a walk cache that kept the pointer to the
   * freed table would now read the other domain's table.
   */
  private void reuseFreedTable(
      StressWorld w, int d, long base, long offset, SplittableRandom random) throws Exception {
    int n = w.domains.size();
    int e = (d + 1 + random.nextInt(Math.max(1, n - 1))) % n;
    for (int r = 0; r < REGIONS; r++) {
      if (!w.regionMapped[e][r]) {
        long iova = REGION_BASE + r * 0x20_0000L + offset;
        w.regionMapped[e][r] = map(w, e, iova, w.freshPa(e), 4096, Prot.READ | Prot.WRITE);
        probeDomain(w, d, base + offset, random);
        return;
      }
    }
  }

  private static int pick(BitSet set, SplittableRandom random) {
    int k = random.nextInt(set.cardinality());
    int page = set.nextSetBit(0);
    for (int i = 0; i < k; i++) {
      page = set.nextSetBit(page + 1);
    }
    return page;
  }

  private boolean map(StressWorld w, int d, long iova, long pa, long size, int prot)
      throws Exception {
    PagingDomain domain = w.domains.get(d);
    note(
        String.format(
            "map %s 0x%x -> 0x%x%s %s",
            domain.name(), iova, pa, size == 4096 ? "" : " 2M", Prot.describe(prot)));
    List<Oracle.MappingRecord> records = oracle.beginMap(domain, iova, pa, size, prot);
    boolean ok = false;
    try {
      domain.map(iova, pa, size, prot);
      ok = true;
    } catch (AlreadyMappedException e) {
      note("  refused: " + e.getMessage());
    } finally {
      oracle.endMap(domain, iova, records, ok);
    }
    return ok;
  }

  private void unmap(StressWorld w, int d, long iova, long size) throws Exception {
    PagingDomain domain = w.domains.get(d);
    note(String.format("unmap %s 0x%x +0x%x", domain.name(), iova, size));
    List<Oracle.MappingRecord> records = oracle.beginUnmap(domain, iova, size);
    UnmapResult r = domain.unmap(iova, size);
    oracle.endUnmap(domain, iova, r.unmappedBytes(), records);
  }

  /**
   * Attaches device {@code dev}'s stream to {@code next}, then probes: the device DMAs again to the
   * pages it used recently (during the switch, so a configuration read half-written or a stale tag
   * would have left a translation there) and to a page of its old domain; if the old domain's tag
   * on the device's instance was freed, another device of that instance is attached at once to a
   * domain without a tag there, so the freed id is reused.
   */
  private void attach(StressWorld w, int dev, Domain next, SplittableRandom random)
      throws Exception {
    int previous = w.attachedTo.get(dev);
    if (!attachStream(w, dev, next)) {
      return;
    }
    probeDevice(w, dev, 0, random);
    if (previous < 0 || previous == w.indexOf(next)) {
      return;
    }
    long[] pages = w.mappedSnapshot.get(previous);
    if (pages.length > 0) {
      issueProbe(dev, 0, pages[random.nextInt(pages.length)], random);
    }
    var instance = w.masters.get(dev).smmu();
    if (w.driver.tagOf(w.domains.get(previous), instance) == null) {
      reuseFreedTag(w, dev, random);
    }
  }

  /** Attaches a device of {@code dev}'s instance to a domain that has no tag there yet. */
  private void reuseFreedTag(StressWorld w, int dev, SplittableRandom random) throws Exception {
    var instance = w.masters.get(dev).smmu();
    for (int i = 0; i < w.endpoints.size(); i++) {
      int other = (dev + 1 + i) % w.endpoints.size();
      if (other == dev || !w.masters.get(other).smmu().equals(instance)) {
        continue;
      }
      for (int j = 0; j < w.domains.size(); j++) {
        int d = (random.nextInt(w.domains.size()) + j) % w.domains.size();
        if (d != w.attachedTo.get(other) && w.driver.tagOf(w.domains.get(d), instance) == null) {
          if (attachStream(w, other, w.domains.get(d))) {
            probeDevice(w, other, 0, random);
          }
          return;
        }
      }
      return;
    }
  }

  private boolean attachStream(StressWorld w, int dev, Domain next) throws Exception {
    String name = w.endpoints.get(dev).name();
    note(String.format("attach %s -> %s", name, next.name()));
    w.hotDevice = dev;
    Oracle.AttachmentRecord record = oracle.beginAttach(name, next);
    boolean ok = false;
    try {
      w.driver.attach(w.masters.get(dev), next);
      ok = true;
    } catch (AttachException e) {
      note("  refused: " + e.getMessage());
    } finally {
      oracle.endAttach(name, record, ok);
      w.hotDevice = -1;
    }
    if (ok) {
      w.attachedTo.set(dev, w.indexOf(next));
    }
    return ok;
  }

  /** Attaches (or, with {@code d} = -1, detaches) SubstreamID {@code ssid} of a device. */
  private void attachPasid(StressWorld w, int dev, int ssid, int d, SplittableRandom random)
      throws Exception {
    String name = w.pasidName(dev, ssid);
    PagingDomain domain = d < 0 ? null : w.domains.get(d);
    note(String.format("pasid %s -> %s", name, domain == null ? "detached" : domain.name()));
    w.hotDevice = dev;
    Oracle.AttachmentRecord record = oracle.beginAttach(name, domain);
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
      w.hotDevice = -1;
    }
    if (ok) {
      w.pasidDomain.set(dev * (PASIDS + 1) + ssid, d);
      probeDevice(w, dev, ssid, random);
    }
  }

  /** DMAs of a device attached to domain {@code d}, right after a removal, to {@code iova}. */
  private void probeDomain(StressWorld w, int d, long iova, SplittableRandom random) {
    int n = w.endpoints.size();
    int first = random.nextInt(n);
    for (int i = 0; i < n; i++) {
      int dev = (first + i) % n;
      if (w.attachedTo.get(dev) == d) {
        issueProbe(dev, 0, iova, random);
        return;
      }
    }
  }

  /**
   * DMAs of device {@code dev} (SubstreamID {@code ssid}) to the pages it used recently and to the
   * next one of each (a speculative fill caches neighbours).
   */
  private void probeDevice(StressWorld w, int dev, int ssid, SplittableRandom random) {
    for (int k = 0; k < StressWorld.RECENT; k++) {
      long iova = w.recentIova(dev, ssid, k);
      issueProbe(dev, ssid, iova, random);
      issueProbe(dev, ssid, iova + 4096, random);
    }
  }

  private void issueProbe(int dev, int ssid, long iova, SplittableRandom random) {
    issuer.issue(config.dmaThreads(), dev, ssid, iova, random, probeZeros);
  }

  // ---------------------------------------------------------------- DMA threads

  private void dmaLoop(StressWorld w, int slot, AtomicBoolean stop) {
    SplittableRandom random = new SplittableRandom(config.seed() * 31 + slot + 1);
    byte[] zeros = new byte[8];
    int devices = w.endpoints.size();
    while (!stop.get()) {
      int hot = w.hotDevice;
      int dev = hot >= 0 && random.nextBoolean() ? hot : random.nextInt(devices);
      int ssid = 0;
      int d = w.attachedTo.get(dev);
      if (w.hasPasids[dev] && random.nextInt(3) == 0) {
        int s = 1 + random.nextInt(PASIDS);
        int pd = w.pasidDomain.get(dev * (PASIDS + 1) + s);
        if (pd >= 0 || random.nextInt(8) == 0) {
          ssid = s;
          d = pd;
        }
      }
      if (d < 0 && dev != hot && random.nextInt(4) != 0) {
        // A blocked stream or a free SubstreamID only faults; most DMAs go where they can land.
        continue;
      }
      long[] pages = d >= 0 ? w.mappedSnapshot.get(d) : null;
      long iova =
          pages != null && pages.length > 0 && random.nextInt(5) != 0
              ? pages[random.nextInt(pages.length)]
              : IOVA_BASE + random.nextInt(PAGES) * 4096L;
      issuer.issue(slot, dev, ssid, iova, random, zeros);
      if (stopAtFirstViolation && firstDmaViolation.get() != null) {
        return;
      }
    }
  }

  private void report(Violation v) {
    StressResult.Detection when =
        new StressResult.Detection(
            v.kind(), (System.nanoTime() - startNanos) / 1e9, operations.get(), slots.judged());
    if (v.kind() != ViolationClass.INVARIANT) {
      firstDmaViolation.compareAndSet(null, when);
    }
    if (firstViolation.compareAndSet(null, when)) {
      synchronized (log) {
        logAtFirstViolation = List.copyOf(log);
      }
    }
    violationCount.incrementAndGet();
    violationsByClass.incrementAndGet(v.kind().ordinal());
    if (violations.size() < KEPT_VIOLATIONS) {
      violations.add(v);
    }
  }

  private Map<ViolationClass, Long> countsByClass() {
    Map<ViolationClass, Long> counts = new LinkedHashMap<>();
    for (ViolationClass kind : ViolationClass.values()) {
      long n = violationsByClass.get(kind.ordinal());
      if (n > 0) {
        counts.put(kind, n);
      }
    }
    return counts;
  }

  private void invariant(String detail) {
    report(new Violation(ViolationClass.INVARIANT, null, -1, 0, -1, 0, 0, "driver", detail));
  }

  private static double tlbHitRatio(StressWorld w) {
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
