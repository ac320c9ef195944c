package org.smmulab.peer.diff;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.smmulab.driver.pgtable.Prot;
import org.smmulab.peer.EduPort;
import org.smmulab.peer.PeerLayout;

/**
 * A seeded random operation sequence restricted to what the QEMU peer supports: stage-1 domains, 4
 * KiB pages and one 2 MiB block per domain, IOVAs below 256 MiB, edu copies that stay inside the
 * device buffer. The generator tracks what it mapped and attached so that most DMAs hit something
 * mapped, some hit what was just unmapped, and some hit nothing; read-only mappings of source pages
 * make device writes fault with a permission fault.
 *
 * <p>Copies are short (mostly up to 64 bytes, at most 256): QEMU records one event for every 4-byte
 * piece of a failed copy, and each event costs a round trip to read.
 */
public final class OpSequence {
  /** IOVA of page slot 0; slots are consecutive 4 KiB pages. */
  public static final long PAGE_IOVA = 0x10_0000L;

  /** Page slots per domain. */
  public static final int PAGE_SLOTS = 32;

  /** IOVA of each domain's 2 MiB block mapping. */
  public static final long BLOCK_IOVA = 0x40_0000L;

  private final SplittableRandom random;
  private final int devices;
  private final int domains;
  private final long[][] slotPa;
  private final boolean[] blockMapped;
  private final int[] attached;
  private final List<List<Integer>> recentlyUnmapped = new ArrayList<>();

  private OpSequence(long seed, int devices, int domains) {
    this.random = new SplittableRandom(seed);
    this.devices = devices;
    this.domains = domains;
    this.slotPa = new long[domains][PAGE_SLOTS];
    this.blockMapped = new boolean[domains];
    this.attached = new int[devices];
    java.util.Arrays.fill(attached, -1);
    for (int d = 0; d < domains; d++) {
      recentlyUnmapped.add(new ArrayList<>());
    }
  }

  /**
   * {@code count} operations from {@code seed} over {@code devices} devices and {@code domains}
   * domains; the same arguments always give the same list.
   *
   * @throws IllegalArgumentException if a count is not positive
   */
  public static List<PeerOp> random(long seed, int count, int devices, int domains) {
    if (count < 1 || devices < 1 || domains < 1) {
      throw new IllegalArgumentException(
          "operations, devices and domains must be positive, got "
              + count
              + ", "
              + devices
              + ", "
              + domains);
    }
    OpSequence g = new OpSequence(seed, devices, domains);
    List<PeerOp> ops = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      ops.add(g.next());
    }
    return ops;
  }

  private PeerOp next() {
    boolean anyAttached = false;
    for (int a : attached) {
      anyAttached |= a >= 0;
    }
    int r = random.nextInt(100);
    if (!anyAttached && r < 60) {
      return attach();
    }
    if (r < 20) {
      return mapPages();
    }
    if (r < 23) {
      return mapBlock();
    }
    if (r < 37) {
      return unmapPages();
    }
    if (r < 39) {
      return unmapBlock();
    }
    if (r < 47) {
      return attach();
    }
    if (r < 50) {
      return detach();
    }
    return dma();
  }

  private PeerOp attach() {
    int dev = random.nextInt(devices);
    int dom = random.nextInt(domains);
    attached[dev] = dom;
    return new PeerOp.Attach(dev, dom);
  }

  private PeerOp detach() {
    int dev = random.nextInt(devices);
    attached[dev] = -1;
    return new PeerOp.Detach(dev);
  }

  private PeerOp mapPages() {
    int dom = random.nextInt(domains);
    int slot = random.nextInt(PAGE_SLOTS);
    int pages = random.nextInt(10) == 0 ? 2 + random.nextInt(3) : 1;
    while (pages > 0 && slot + pages > PAGE_SLOTS) {
      pages--;
    }
    for (int i = 0; i < pages; i++) {
      if (slotPa[dom][slot + i] != 0) {
        pages = i;
        break;
      }
    }
    if (pages == 0) {
      return unmapPages();
    }
    boolean source = random.nextBoolean();
    int poolPages = source ? PeerLayout.SOURCE_PAGES : PeerLayout.SINK_PAGES;
    int first = random.nextInt(poolPages - pages + 1);
    long pa = (source ? PeerLayout.SOURCE_BASE : PeerLayout.SINK_BASE) + 4096L * first;
    for (int i = 0; i < pages; i++) {
      slotPa[dom][slot + i] = pa + 4096L * i;
      recentlyUnmapped.get(dom).remove(Integer.valueOf(slot + i));
    }
    int prot = source ? Prot.READ | Prot.CACHE : Prot.READ | Prot.WRITE | Prot.CACHE;
    return new PeerOp.Map(dom, PAGE_IOVA + 4096L * slot, pa, 4096L * pages, prot);
  }

  private PeerOp mapBlock() {
    int dom = random.nextInt(domains);
    blockMapped[dom] = true;
    return new PeerOp.Map(
        dom,
        BLOCK_IOVA,
        PeerLayout.BLOCK_BASE,
        PeerLayout.BLOCK_SIZE,
        Prot.READ | Prot.WRITE | Prot.CACHE);
  }

  private PeerOp unmapPages() {
    int dom = random.nextInt(domains);
    List<Integer> mapped = new ArrayList<>();
    for (int s = 0; s < PAGE_SLOTS; s++) {
      if (slotPa[dom][s] != 0) {
        mapped.add(s);
      }
    }
    if (mapped.isEmpty()) {
      return new PeerOp.Unmap(dom, PAGE_IOVA + 4096L * random.nextInt(PAGE_SLOTS), 4096);
    }
    int slot = mapped.get(random.nextInt(mapped.size()));
    int want = random.nextInt(4) == 0 ? 2 + random.nextInt(3) : 1;
    int pages = 0;
    while (pages < want && slot + pages < PAGE_SLOTS && slotPa[dom][slot + pages] != 0) {
      slotPa[dom][slot + pages] = 0;
      recentlyUnmapped.get(dom).add(slot + pages);
      pages++;
    }
    return new PeerOp.Unmap(dom, PAGE_IOVA + 4096L * slot, 4096L * pages);
  }

  private PeerOp unmapBlock() {
    int dom = random.nextInt(domains);
    blockMapped[dom] = false;
    return new PeerOp.Unmap(dom, BLOCK_IOVA, PeerLayout.BLOCK_SIZE);
  }

  private PeerOp dma() {
    int dev = random.nextInt(devices);
    int dom = attached[dev];
    boolean toMemory = random.nextInt(100) < 55;
    int kind = random.nextInt(100);
    long page;
    if (dom >= 0 && kind < 70 && (hasMapped(dom) || blockMapped[dom])) {
      page = mappedPage(dom);
    } else if (dom >= 0 && kind < 85 && !recentlyUnmapped.get(dom).isEmpty()) {
      List<Integer> gone = recentlyUnmapped.get(dom);
      page = PAGE_IOVA + 4096L * gone.get(random.nextInt(gone.size()));
    } else {
      page = PAGE_IOVA + 4096L * random.nextInt(PAGE_SLOTS);
    }
    int shape = random.nextInt(100);
    int length;
    long offset;
    if (shape < 75) {
      length = 1 + random.nextInt(64);
      offset = random.nextInt(4096 - length + 1);
    } else if (shape < 95) {
      length = 65 + random.nextInt(192);
      offset = random.nextInt(4096 - length + 1);
    } else {
      length = 2 + random.nextInt(127);
      offset = 4096 - 1 - random.nextInt(Math.min(64, length - 1));
    }
    int bufferOffset = random.nextInt(EduPort.BUFFER_LIMIT - length + 1);
    return new PeerOp.Dma(dev, toMemory, page + offset, bufferOffset, length);
  }

  private boolean hasMapped(int dom) {
    for (long pa : slotPa[dom]) {
      if (pa != 0) {
        return true;
      }
    }
    return false;
  }

  private long mappedPage(int dom) {
    List<Long> pages = new ArrayList<>();
    for (int s = 0; s < PAGE_SLOTS; s++) {
      if (slotPa[dom][s] != 0) {
        pages.add(PAGE_IOVA + 4096L * s);
      }
    }
    if (blockMapped[dom] && (pages.isEmpty() || random.nextInt(4) == 0)) {
      return BLOCK_IOVA + 4096L * random.nextInt(512);
    }
    return pages.get(random.nextInt(pages.size()));
  }
}
