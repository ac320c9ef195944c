package org.smmulab.verify.oracle;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
 * <p>Threading: one driver thread records calls ({@link #beginMap} ... {@link #endAttach}) and
 * prunes; any number of DMA threads call {@link #check}. Records are published under the clock's
 * lock (see {@link LogicalClock}) in arrays copied on write, so a check takes no lock and allocates
 * nothing unless it finds a violation. Mapping and attachment records whose may-use window closed
 * before every DMA still in flight are pruned ({@link #prune}); the pages each IOVA ever mapped and
 * the domains each device was ever attached to are kept, so a stale use is still told from an
 * isolation breach.
 */
public final class Oracle {
  private final LogicalClock clock;
  private final Map<Domain, DomainTruth> domains = new ConcurrentHashMap<>();
  private final Map<String, Device> devices = new ConcurrentHashMap<>();

  /** Closed mapping records in the order their windows closed; driver thread only. */
  private final ArrayDeque<MappingRecord> closedMappings = new ArrayDeque<>();

  /** Closed attachment records in the order their windows closed; driver thread only. */
  private final ArrayDeque<AttachmentRecord> closedAttachments = new ArrayDeque<>();

  /** A mapping of one 4 KiB IOVA page. */
  public static final class MappingRecord extends Interval {
    final long paPage;
    final int prot;
    final long ioPage;
    final PageTruth page;

    MappingRecord(long createStart, long ioPage, long paPage, int prot, PageTruth page) {
      super(createStart);
      this.ioPage = ioPage;
      this.paPage = paPage;
      this.prot = prot;
      this.page = page;
    }
  }

  /** A device's attachment to a domain. */
  public static final class AttachmentRecord extends Interval {
    final DomainTruth domain;
    final Device device;

    AttachmentRecord(long createStart, DomainTruth domain, Device device) {
      super(createStart);
      this.domain = domain;
      this.device = device;
    }
  }

  /** A paging domain as the oracle knows it. */
  static final class DomainTruth {
    final Domain domain;
    final PageIndex pages = new PageIndex();

    DomainTruth(Domain domain) {
      this.domain = domain;
    }
  }

  /**
   * A device (or a device's SubstreamID) as the oracle knows it: its attachment records, newest
   * last, and every domain it was ever attached to. Get one with {@link #device}; checks through a
   * handle skip the lookup by name.
   */
  public static final class Device {
    private static final AttachmentRecord[] NONE = new AttachmentRecord[0];
    private static final DomainTruth[] NO_DOMAINS = new DomainTruth[0];

    private final String name;
    private volatile AttachmentRecord[] attachments = NONE;
    private volatile DomainTruth[] everAttached = NO_DOMAINS;

    private Device(String name) {
      this.name = name;
    }

    /** The device's name. */
    public String name() {
      return name;
    }

    private void add(AttachmentRecord record) {
      AttachmentRecord[] old = attachments;
      AttachmentRecord[] grown = Arrays.copyOf(old, old.length + 1);
      grown[old.length] = record;
      attachments = grown;
      DomainTruth[] ever = everAttached;
      for (DomainTruth d : ever) {
        if (d == record.domain) {
          return;
        }
      }
      DomainTruth[] more = Arrays.copyOf(ever, ever.length + 1);
      more[ever.length] = record.domain;
      everAttached = more;
    }

    private void remove(AttachmentRecord record) {
      AttachmentRecord[] old = attachments;
      for (int i = 0; i < old.length; i++) {
        if (old[i] == record) {
          AttachmentRecord[] shrunk = new AttachmentRecord[old.length - 1];
          System.arraycopy(old, 0, shrunk, 0, i);
          System.arraycopy(old, i + 1, shrunk, i, old.length - i - 1);
          attachments = shrunk;
          return;
        }
      }
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
    domains.computeIfAbsent(domain, DomainTruth::new);
  }

  /** The handle of the device (or device and SubstreamID) called {@code name}; thread-safe. */
  public Device device(String name) {
    return devices.computeIfAbsent(name, Device::new);
  }

  private DomainTruth truth(Domain domain) {
    DomainTruth truth = domains.get(domain);
    if (truth == null) {
      throw new IllegalStateException("domain " + domain.name() + " was not registered");
    }
    return truth;
  }

  // ---------------------------------------------------------------- mappings

  /** Records the start of a map call; returns the records to complete with {@link #endMap}. */
  public List<MappingRecord> beginMap(
      PagingDomain domain, long iova, long pa, long size, int prot) {
    DomainTruth truth = truth(domain);
    List<MappingRecord> out = new ArrayList<>((int) Math.min(size >>> 12, 1 << 16));
    clock.stampAndPublish(
        t -> {
          for (long off = 0; off < size; off += 4096) {
            long ioPage = (iova + off) >>> 12;
            PageTruth page = truth.pages.pageForWrite(ioPage);
            MappingRecord r = new MappingRecord(t, ioPage, (pa + off) >>> 12, prot, page);
            page.add(r);
            out.add(r);
          }
        });
    return out;
  }

  /** Records the return of a map call: {@code ok} false withdraws the records. */
  public void endMap(PagingDomain domain, long iova, List<MappingRecord> records, boolean ok) {
    clock.stampAndPublish(
        t -> {
          for (MappingRecord r : records) {
            if (ok) {
              r.createEnd = t;
            } else {
              r.removeStart = t;
              r.removeEnd = t;
              closedMappings.add(r);
            }
          }
        });
  }

  /** Records the start of an unmap of {@code [iova, iova + size)}; returns the live records. */
  public List<MappingRecord> beginUnmap(PagingDomain domain, long iova, long size) {
    DomainTruth truth = truth(domain);
    List<MappingRecord> out = new ArrayList<>();
    clock.stampAndPublish(
        t -> {
          for (long off = 0; off < size; off += 4096) {
            PageTruth page = truth.pages.page((iova + off) >>> 12);
            if (page == null) {
              continue;
            }
            for (MappingRecord r : page.records()) {
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
    long first = iova >>> 12;
    long end = first + (unmapped >>> 12);
    clock.stampAndPublish(
        t -> {
          for (MappingRecord r : records) {
            if (r.ioPage >= first && r.ioPage < end) {
              r.removeEnd = t;
              closedMappings.add(r);
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
    Device d = device(device);
    DomainTruth truth = next instanceof PagingDomain ? truth(next) : null;
    AttachmentRecord[] created = new AttachmentRecord[1];
    clock.stampAndPublish(
        t -> {
          for (AttachmentRecord r : d.attachments) {
            if (r.removeStart == Long.MAX_VALUE) {
              r.removeStart = t;
            }
          }
          if (truth != null) {
            created[0] = new AttachmentRecord(t, truth, d);
            d.add(created[0]);
          }
        });
    return created[0];
  }

  /**
   * Records the return of an attach: the new record's window opens for good, the old ones close;
   * when it failed, the new record is withdrawn and the old ones reopen.
   */
  public void endAttach(String device, AttachmentRecord created, boolean ok) {
    Device d = device(device);
    clock.stampAndPublish(
        t -> {
          for (AttachmentRecord r : d.attachments) {
            if (r == created) {
              if (ok) {
                r.createEnd = t;
              } else {
                r.removeStart = t;
                r.removeEnd = t;
                closedAttachments.add(r);
              }
            } else if (r.removeStart != Long.MAX_VALUE && r.removeEnd == Long.MAX_VALUE) {
              if (ok) {
                r.removeEnd = t;
                closedAttachments.add(r);
              } else {
                r.removeStart = Long.MAX_VALUE;
              }
            }
          }
        });
  }

  // ---------------------------------------------------------------- judging

  /**
   * Judges one single-page DMA of the device called {@code device}, stamped [t0, t1].
   *
   * @return the violation, or {@code null} when the outcome is allowed
   */
  public Violation check(String device, DmaRequest request, DmaResult result, long t0, long t1) {
    return check(device(device), request, result, t0, t1);
  }

  /**
   * Judges one single-page DMA of {@code device}, stamped [t0, t1] ({@link LogicalClock#start()}
   * before it was issued, {@link LogicalClock#end()} after it returned). Lock-free; allocates only
   * to report a violation.
   *
   * @return the violation, or {@code null} when the outcome is allowed
   */
  public Violation check(Device device, DmaRequest request, DmaResult result, long t0, long t1) {
    long ioPage = request.iova() >>> 12;
    AttachmentRecord[] atts = device.attachments;
    if (result.completed()) {
      DmaSegment segment = result.segments().get(0);
      long paPage = segment.pa() >>> 12;
      boolean permission = false;
      for (int i = atts.length - 1; i >= 0; i--) {
        AttachmentRecord a = atts[i];
        if (!a.mayOverlap(t0, t1)) {
          continue;
        }
        PageTruth page = a.domain.pages.page(ioPage);
        if (page == null) {
          continue;
        }
        MappingRecord[] records = page.records();
        for (int j = records.length - 1; j >= 0; j--) {
          MappingRecord m = records[j];
          if (m.paPage == paPage && m.mayOverlap(t0, t1)) {
            if (allows(m.prot, request)) {
              return null;
            }
            permission = true;
          }
        }
      }
      return translationViolation(device, request, segment, t0, t1, permission);
    }
    for (int i = atts.length - 1; i >= 0; i--) {
      AttachmentRecord a = atts[i];
      if (!a.mustCover(t0, t1)) {
        continue;
      }
      PageTruth page = a.domain.pages.page(ioPage);
      if (page == null) {
        continue;
      }
      for (MappingRecord m : page.records()) {
        if (m.mustCover(t0, t1) && allows(m.prot, request)) {
          return new Violation(
              ViolationClass.LOST_ACCESS,
              device.name(),
              request.streamId(),
              request.iova(),
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

  /** Classifies a completed DMA that no live mapping allowed. */
  private static Violation translationViolation(
      Device device, DmaRequest request, DmaSegment segment, long t0, long t1, boolean permission) {
    long paPage = segment.pa() >>> 12;
    long ioPage = request.iova() >>> 12;
    boolean stale = false;
    for (DomainTruth d : device.everAttached) {
      PageTruth page = d.pages.page(ioPage);
      if (page != null && page.everMapped(paPage)) {
        stale = true;
        break;
      }
    }
    ViolationClass kind =
        permission
            ? ViolationClass.PERMISSION_BREACH
            : stale ? ViolationClass.STALE_TRANSLATION : ViolationClass.ISOLATION_BREACH;
    return new Violation(
        kind,
        device.name(),
        request.streamId(),
        request.iova(),
        segment.pa(),
        t0,
        t1,
        segment.source().name(),
        switch (kind) {
          case ISOLATION_BREACH -> "no domain of the device ever mapped this IOVA to this page";
          case STALE_TRANSLATION ->
              "the mapping or attachment had been removed before the DMA started";
          default -> "the mapping does not grant this access";
        });
  }

  private static boolean allows(int prot, DmaRequest request) {
    return request.write() ? (prot & Prot.WRITE) != 0 : (prot & Prot.READ) != 0;
  }

  /**
   * Drops mapping and attachment records whose may-use window closed at or before {@code lowWater}
   * (at most the start stamp of every DMA still in flight or yet to start): no such DMA can be
   * allowed by them. The pages they mapped and the domains they attached stay known. Driver thread
   * only.
   */
  public void prune(long lowWater) {
    while (!closedMappings.isEmpty() && closedMappings.peekFirst().removeEnd <= lowWater) {
      MappingRecord r = closedMappings.pollFirst();
      r.page.remove(r);
    }
    while (!closedAttachments.isEmpty() && closedAttachments.peekFirst().removeEnd <= lowWater) {
      AttachmentRecord r = closedAttachments.pollFirst();
      r.device.remove(r);
    }
  }
}
