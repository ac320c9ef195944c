package org.smmulab.verify.oracle;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.smmulab.driver.domain.Domain;
import org.smmulab.driver.domain.PagingDomain;
import org.smmulab.driver.pgtable.Prot;
import org.smmulab.hw.pcie.DmaRequest;
import org.smmulab.hw.pcie.DmaResult;
import org.smmulab.hw.pcie.DmaSegment;

/**
 * The truth of what each device may reach, and the judge of every DMA.
 *
 * <p>For every mapping (IOVA page to PA page with permissions, per domain) and every attachment
 * (device to domain) it keeps two windows: <em>may-use</em> from the start of the creating call to
 * the return of the removing call, and <em>must-work</em> from the return of the creating call to
 * the start of the removing call. A DMA stamped [t0, t1] that reached PA p through IOVA v is:
 *
 * <ul>
 *   <li>fine if some attachment of the device and some mapping v to p of that attachment's domain
 *       both have may-use windows overlapping [t0, t1], with the access allowed;
 *   <li>a <b>permission breach</b> if such a pair exists only without the permission;
 *   <li>a <b>stale translation</b> if one of the device's domains mapped v to p at some time, but
 *       never in an overlapping window (a cache outlived its invalidation);
 *   <li>an <b>isolation breach</b> otherwise (no domain of the device ever mapped v to p).
 * </ul>
 *
 * A DMA that faulted is a <b>lost access</b> if [t0, t1] lies inside the must-work windows of an
 * attachment of the device and of a mapping of v in that attachment's domain allowing the access.
 *
 * <p>Threading: one driver thread records calls ({@link #beginMap} ... {@link #endDetach}); any
 * number of DMA threads call {@link #check}. Records are published under the clock's lock (see
 * {@link LogicalClock}); lists are copy-on-write. Old mapping records whose window closed before
 * every DMA still in flight are pruned, but the pages each IOVA ever mapped are kept, so a stale
 * use is still told from an isolation breach.
 */
public final class Oracle {
  private final LogicalClock clock;
  private final Map<Domain, Integer> domainIds = new ConcurrentHashMap<>();
  private final Map<Long, CopyOnWriteArrayList<MappingRecord>> pages = new ConcurrentHashMap<>();
  private final Map<Long, Set<Long>> everMapped = new ConcurrentHashMap<>();
  private final Map<String, CopyOnWriteArrayList<AttachmentRecord>> attachments =
      new ConcurrentHashMap<>();

  /** A mapping of one 4 KiB IOVA page. */
  public static final class MappingRecord extends Interval {
    final long paPage;
    final int prot;

    MappingRecord(long createStart, long paPage, int prot) {
      super(createStart);
      this.paPage = paPage;
      this.prot = prot;
    }
  }

  /** A device's attachment to a domain. */
  public static final class AttachmentRecord extends Interval {
    final Domain domain;

    AttachmentRecord(long createStart, Domain domain) {
      super(createStart);
      this.domain = domain;
    }
  }

  /**
   * @param clock the clock every call and DMA is stamped with
   */
  public Oracle(LogicalClock clock) {
    this.clock = clock;
  }

  /** The clock. */
  public LogicalClock clock() {
    return clock;
  }

  /**
   * Makes {@code domain} known; call for every paging domain before any DMA can use it. Driver
   * thread only.
   */
  public void register(PagingDomain domain) {
    domainIds.putIfAbsent(domain, domainIds.size());
  }

  private long key(Domain domain, long iova) {
    Integer id = domainIds.get(domain);
    if (id == null) {
      throw new IllegalStateException("domain " + domain.name() + " was not registered");
    }
    return (long) id << 40 | (iova >>> 12) & ((1L << 40) - 1);
  }

  // ---------------------------------------------------------------- mappings

  /** Records the start of a map call; returns the records to complete with {@link #endMap}. */
  public List<MappingRecord> beginMap(
      PagingDomain domain, long iova, long pa, long size, int prot) {
    List<MappingRecord> out = new ArrayList<>();
    clock.stampAndPublish(
        t -> {
          for (long off = 0; off < size; off += 4096) {
            MappingRecord r = new MappingRecord(t, (pa + off) >>> 12, prot);
            long k = key(domain, iova + off);
            pages.computeIfAbsent(k, x -> new CopyOnWriteArrayList<>()).add(r);
            everMapped.computeIfAbsent(k, x -> ConcurrentHashMap.newKeySet()).add(r.paPage);
            out.add(r);
          }
        });
    return out;
  }

  /** Records the return of a map call: {@code succeeded} false withdraws the records. */
  public void endMap(PagingDomain domain, long iova, List<MappingRecord> records, boolean ok) {
    clock.stampAndPublish(
        t -> {
          for (int i = 0; i < records.size(); i++) {
            MappingRecord r = records.get(i);
            if (ok) {
              r.createEnd = t;
            } else {
              r.removeStart = t;
              r.removeEnd = t;
            }
          }
        });
  }

  /** Records the start of an unmap of {@code [iova, iova + size)}; returns the live records. */
  public List<MappingRecord> beginUnmap(PagingDomain domain, long iova, long size) {
    List<MappingRecord> out = new ArrayList<>();
    clock.stampAndPublish(
        t -> {
          for (long off = 0; off < size; off += 4096) {
            List<MappingRecord> list = pages.get(key(domain, iova + off));
            if (list == null) {
              continue;
            }
            for (MappingRecord r : list) {
              if (r.removeStart == Long.MAX_VALUE) {
                r.removeStart = t;
                out.add(r);
              }
            }
          }
        });
    return out;
  }

  /**
   * Records the return of an unmap that removed {@code unmapped} bytes from {@code iova}: those
   * records close; the others (beyond what was unmapped) reopen.
   */
  public void endUnmap(PagingDomain domain, long iova, long unmapped, List<MappingRecord> records) {
    List<MappingRecord> removed = new ArrayList<>();
    for (long off = 0; off < unmapped; off += 4096) {
      List<MappingRecord> list = pages.get(key(domain, iova + off));
      if (list != null) {
        removed.addAll(list);
      }
    }
    clock.stampAndPublish(
        t -> {
          for (MappingRecord r : records) {
            if (removed.contains(r)) {
              r.removeEnd = t;
            } else {
              r.removeStart = Long.MAX_VALUE;
            }
          }
        });
  }

  // ---------------------------------------------------------------- attachments

  /**
   * Records the start of an attach of {@code device} to {@code next} (null or a domain without
   * mappings for blocked); returns the new record, or null.
   */
  public AttachmentRecord beginAttach(String device, Domain next) {
    AttachmentRecord[] created = new AttachmentRecord[1];
    clock.stampAndPublish(
        t -> {
          List<AttachmentRecord> list =
              attachments.computeIfAbsent(device, x -> new CopyOnWriteArrayList<>());
          for (AttachmentRecord r : list) {
            if (r.removeStart == Long.MAX_VALUE) {
              r.removeStart = t;
            }
          }
          if (next instanceof PagingDomain) {
            created[0] = new AttachmentRecord(t, next);
            list.add(created[0]);
          }
        });
    return created[0];
  }

  /**
   * Records the return of an attach: the new record's window opens for good, the old ones close;
   * when it failed, the new record is withdrawn and the old ones reopen.
   */
  public void endAttach(String device, AttachmentRecord created, boolean ok) {
    clock.stampAndPublish(
        t -> {
          for (AttachmentRecord r :
              attachments.getOrDefault(device, new CopyOnWriteArrayList<>())) {
            if (r == created) {
              if (ok) {
                r.createEnd = t;
              } else {
                r.removeStart = t;
                r.removeEnd = t;
              }
            } else if (r.removeStart != Long.MAX_VALUE && r.removeEnd == Long.MAX_VALUE) {
              if (ok) {
                r.removeEnd = t;
              } else {
                r.removeStart = Long.MAX_VALUE;
              }
            }
          }
        });
  }

  // ---------------------------------------------------------------- judging

  /**
   * Judges one single-page DMA of {@code device} stamped [t0, t1].
   *
   * @return the violation, or {@code null} when the outcome is allowed
   */
  public Violation check(String device, DmaRequest request, DmaResult result, long t0, long t1) {
    long iova = request.iova();
    List<AttachmentRecord> atts = attachments.getOrDefault(device, new CopyOnWriteArrayList<>());
    if (result.completed()) {
      DmaSegment segment = result.segments().get(0);
      long paPage = segment.pa() >>> 12;
      boolean permission = false;
      boolean stale = false;
      for (AttachmentRecord a : atts) {
        long k = key(a.domain, iova);
        List<MappingRecord> list = pages.get(k);
        if (list != null) {
          for (MappingRecord m : list) {
            if (m.paPage != paPage) {
              continue;
            }
            if (a.mayOverlap(t0, t1) && m.mayOverlap(t0, t1)) {
              if (allows(m.prot, request)) {
                return null;
              }
              permission = true;
            } else {
              stale = true;
            }
          }
        }
        Set<Long> ever = everMapped.get(k);
        if (ever != null && ever.contains(paPage)) {
          stale = true;
        }
      }
      ViolationClass kind =
          permission
              ? ViolationClass.PERMISSION_BREACH
              : stale ? ViolationClass.STALE_TRANSLATION : ViolationClass.ISOLATION_BREACH;
      return new Violation(
          kind,
          device,
          request.streamId(),
          iova,
          segment.pa(),
          t0,
          t1,
          segment.source().name(),
          kind == ViolationClass.ISOLATION_BREACH
              ? "no domain of the device ever mapped this IOVA to this page"
              : kind == ViolationClass.STALE_TRANSLATION
                  ? "the mapping or attachment had been removed before the DMA started"
                  : "the mapping does not grant this access");
    }
    for (AttachmentRecord a : atts) {
      if (!a.mustCover(t0, t1)) {
        continue;
      }
      List<MappingRecord> list = pages.get(key(a.domain, iova));
      if (list == null) {
        continue;
      }
      for (MappingRecord m : list) {
        if (m.mustCover(t0, t1) && allows(m.prot, request)) {
          return new Violation(
              ViolationClass.LOST_ACCESS,
              device,
              request.streamId(),
              iova,
              -1,
              t0,
              t1,
              result.faultReason(),
              "the mapping and the attachment had to work throughout the DMA");
        }
      }
    }
    return null;
  }

  private static boolean allows(int prot, DmaRequest request) {
    return request.write() ? (prot & Prot.WRITE) != 0 : (prot & Prot.READ) != 0;
  }

  /**
   * Drops mapping records whose may-use window closed before {@code lowWater} (the earliest start
   * of any DMA still in flight); the pages they mapped stay known.
   */
  public void prune(long lowWater) {
    for (CopyOnWriteArrayList<MappingRecord> list : pages.values()) {
      list.removeIf(r -> r.removeEnd < lowWater);
    }
  }
}
