package org.smmulab.verify.stress;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.smmulab.arch.pte.Granule;
import org.smmulab.arch.pte.Stage;
import org.smmulab.driver.SmmuDriver;
import org.smmulab.driver.attach.Master;
import org.smmulab.driver.domain.Domain;
import org.smmulab.driver.domain.PagingDomain;
import org.smmulab.hw.memory.PhysicalMemory;
import org.smmulab.hw.pcie.Endpoint;
import org.smmulab.hw.smmu.Smmu;
import org.smmulab.verify.oracle.Oracle;

/**
 * The machine a stress run drives and what the driver thread knows about it: devices spread over
 * the instances so that each instance has devices with and without ATS and with and without
 * SubstreamIDs, paging domains alternately stage 1 and stage 2, and the state the DMA threads read
 * (which domain each device and SubstreamID is attached to, which pages each domain maps, the IOVA
 * each device used last).
 *
 * <p>Layout: each domain maps 4 KiB pages in a {@value #PAGES}-page window at {@link #IOVA_BASE},
 * and uses 2 MiB regions above it ({@link #REGION_BASE}) for block mappings and for the unmaps that
 * free table pages; each domain's pages come from its own physical range, so a translation of
 * another domain is recognisable as such.
 *
 * <p>Threading: the fields named "driver thread only" are touched by the driver thread alone; the
 * shared ones are atomics or arrays published whole.
 */
final class StressWorld {
  static final long IOVA_BASE = 0x1_0000_0000L;
  static final int PAGES = 256;
  static final long REGION_BASE = IOVA_BASE + 0x4000_0000L;
  static final int REGIONS = 8;
  static final int PASIDS = 3;
  static final long DATA = 0x8_0000_0000L;
  private static final int PAD = 16;

  final SmmuDriver driver;
  final List<Smmu> smmus;
  final List<Endpoint> endpoints = new ArrayList<>();
  final List<Master> masters = new ArrayList<>();
  final List<PagingDomain> domains = new ArrayList<>();
  final boolean[] hasPasids;

  /** Oracle handles: per device, index 0 for the stream and 1..PASIDS for its SubstreamIDs. */
  final Oracle.Device[][] handles;

  /** Driver thread only: pages mapped in the 4 KiB window, per domain. */
  final BitSet[] mapped;

  /** Driver thread only: whether each 2 MiB region of each domain holds something. */
  final boolean[][] regionMapped;

  /** Driver thread only: the next physical page each domain hands out. */
  final long[] nextPa;

  /** Per device, the index of the domain it is attached to, or -1 (blocked). */
  final AtomicIntegerArray attachedTo;

  /** Per device and SubstreamID ({@code dev * (PASIDS + 1) + ssid}), the domain index or -1. */
  final AtomicIntegerArray pasidDomain;

  /** Per domain, the IOVAs of its mapped window pages, republished after every change. */
  final AtomicReferenceArray<long[]> mappedSnapshot;

  /** Per device, the StreamID its DMAs use. */
  final int[] streamIds;

  /** Per device and SubstreamID (padded), the IOVAs of its latest {@value #RECENT} DMAs. */
  private final AtomicLongArray recentIovas;

  /** IOVAs remembered per device and SubstreamID. */
  static final int RECENT = 4;

  /**
   * The device whose attachment the driver thread is changing, or -1: DMA threads aim half of their
   * DMAs at it meanwhile, so that many DMAs overlap the change.
   */
  volatile int hotDevice = -1;

  StressWorld(
      SmmuDriver driver,
      PhysicalMemory memory,
      List<Smmu> smmus,
      StressConfig config,
      Oracle oracle)
      throws Exception {
    this.driver = driver;
    this.smmus = smmus;
    for (int i = 0; i < config.devices(); i++) {
      int s = i % smmus.size();
      int k = i / smmus.size();
      int sid = 0x10 + i;
      Smmu smmu = smmus.get(s);
      boolean ats = k % 2 == 0 && smmu.config().ats();
      Endpoint ep =
          ats
              ? Endpoint.withAts("dev" + i, memory, smmu, 32, config.seed() + i, sid)
              : Endpoint.withoutAts("dev" + i, memory, smmu, sid);
      smmu.connect(ep);
      endpoints.add(ep);
      boolean pasids = (k % 4 == 1 || k % 4 == 2) && smmu.config().ssidBits() > 0;
      masters.add(
          driver.addMaster(
              "dev" + i,
              driver.instances().get(s).id(),
              new int[] {sid},
              ats ? ep : null,
              pasids ? 4 : 0));
    }
    int n = endpoints.size();
    hasPasids = new boolean[n];
    handles = new Oracle.Device[n][PASIDS + 1];
    for (int i = 0; i < n; i++) {
      hasPasids[i] = masters.get(i).ssidBits() > 0;
      handles[i][0] = oracle.device(endpoints.get(i).name());
      for (int ssid = 1; ssid <= PASIDS; ssid++) {
        handles[i][ssid] = oracle.device(pasidName(i, ssid));
      }
    }
    for (int d = 0; d < config.domains(); d++) {
      Stage stage = d % 2 == 0 || !smmus.get(0).config().stage2() ? Stage.STAGE_1 : Stage.STAGE_2;
      PagingDomain domain = driver.newPagingDomain("d" + d, stage, Granule.SIZE_4K, 48, 48);
      oracle.register(domain);
      domains.add(domain);
    }
    int domainCount = domains.size();
    mapped = new BitSet[domainCount];
    regionMapped = new boolean[domainCount][REGIONS];
    mappedSnapshot = new AtomicReferenceArray<>(domainCount);
    nextPa = new long[domainCount];
    for (int d = 0; d < domainCount; d++) {
      mapped[d] = new BitSet();
      mappedSnapshot.set(d, new long[0]);
    }
    attachedTo = new AtomicIntegerArray(n);
    pasidDomain = new AtomicIntegerArray(n * (PASIDS + 1));
    for (int i = 0; i < attachedTo.length(); i++) {
      attachedTo.set(i, -1);
    }
    for (int i = 0; i < pasidDomain.length(); i++) {
      pasidDomain.set(i, -1);
    }
    streamIds = new int[n];
    for (int i = 0; i < n; i++) {
      streamIds[i] = endpoints.get(i).streamIds()[0];
    }
    recentIovas = new AtomicLongArray(n * (PASIDS + 1) * PAD);
    for (int i = 0; i < n * (PASIDS + 1); i++) {
      for (int k = 0; k < RECENT; k++) {
        recentIovas.set(i * PAD + k, IOVA_BASE);
      }
    }
  }

  /** The oracle's and the log's name of SubstreamID {@code ssid} of device {@code dev}. */
  String pasidName(int dev, int ssid) {
    return endpoints.get(dev).name() + "#" + ssid;
  }

  /** The index of {@code domain} among the paging domains, or -1 for any other domain. */
  int indexOf(Domain domain) {
    for (int d = 0; d < domains.size(); d++) {
      if (domains.get(d) == domain) {
        return d;
      }
    }
    return -1;
  }

  /** A physical page of domain {@code d} not handed out recently. Driver thread only. */
  long freshPa(int d) {
    long page = nextPa[d]++ % 4096;
    return DATA + ((long) d << 28) + page * 4096;
  }

  /** A 2 MiB physical block of domain {@code d}, above its 4 KiB pages. Driver thread only. */
  long freshBlock(int d) {
    return DATA + ((long) d << 28) + 0x800_0000L + (nextPa[d]++ % 16) * 0x20_0000L;
  }

  /** Republishes domain {@code d}'s mapped window pages. Driver thread only. */
  void publishSnapshot(int d) {
    mappedSnapshot.set(d, mapped[d].stream().mapToLong(p -> IOVA_BASE + p * 4096L).toArray());
  }

  /**
   * One of the IOVAs recently used by device {@code dev} with SubstreamID {@code ssid} (0: none).
   *
   * @param k which one, 0 to {@value #RECENT} - 1
   */
  long recentIova(int dev, int ssid, int k) {
    return recentIovas.getOpaque((dev * (PASIDS + 1) + ssid) * PAD + k);
  }

  /**
   * Remembers the IOVA of a DMA of device {@code dev} with {@code ssid} in place {@code k}; any
   * thread (threads use different places or overwrite each other, either is fine).
   */
  void noteIova(int dev, int ssid, int k, long iova) {
    recentIovas.setOpaque((dev * (PASIDS + 1) + ssid) * PAD + (k & (RECENT - 1)), iova);
  }
}
