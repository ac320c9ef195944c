package org.smmulab.bench.invs;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.smmulab.arch.cmd.CommandBatch;
import org.smmulab.arch.cmd.Opcode;
import org.smmulab.driver.invs.InvalidationQueues;
import org.smmulab.driver.invs.SmmuId;
import org.smmulab.driver.tlbi.AtcInvalidation;
import org.smmulab.driver.tlbi.TagInvalidation;
import org.smmulab.driver.tlbi.TlbiRangeBuilder;
import org.smmulab.driver.tlbi.TlbiRangePlan;

/**
 * The baseline: a stage-1 domain tied to its masters by a list guarded by a lock (the kernel's
 * {@code smmu_domain->devices} under {@code devices_lock}). Attach and detach add and remove list
 * elements under the lock; an invalidation takes the lock, walks every attachment and builds all
 * the commands while holding it, releases it and submits, as the kernel's ATC invalidation of a
 * domain does. It sends exactly the commands the {@link org.smmulab.driver.invs.InvalidationWalker}
 * sends for the same attachments — per instance, the TLBIs of its tag with one CMD_SYNC, then the
 * ATC invalidations with another — so the two designs differ only in how they find the work.
 *
 * <p>To keep the comparison about that difference, it builds commands with the same encoders as the
 * walker (one {@link TlbiRangePlan} per invalidation, stamped with each instance's ASID, and one
 * ATC_INV address qword, stamped with each device's StreamID) and reuses per-thread batch buffers,
 * as the walker does; like the kernel's on-stack batch, nothing is allocated per invalidation.
 */
final class LockedDeviceListDomain {
  /** One master attached through one instance. */
  record Attachment(SmmuId smmu, int asid, int sid, boolean ats) {}

  private static final Comparator<Attachment> ORDER =
      Comparator.comparing(Attachment::smmu).thenComparingInt(Attachment::sid);

  /** One thread's batches, built under the lock and submitted after it. */
  private static final class Batches {
    final TlbiRangePlan plan = new TlbiRangePlan();
    final List<SmmuId> targets = new ArrayList<>();
    final List<CommandBatch> lists = new ArrayList<>();

    CommandBatch open(SmmuId smmu) {
      int index = targets.size();
      targets.add(smmu);
      if (index == lists.size()) {
        lists.add(new CommandBatch());
      }
      return lists.get(index);
    }

    void clear() {
      for (int i = 0; i < targets.size(); i++) {
        lists.get(i).clear();
      }
      targets.clear();
    }
  }

  private final ReentrantLock devicesLock = new ReentrantLock();
  private final List<Attachment> devices = new ArrayList<>();
  private final InvalidationQueues queues;
  private final ThreadLocal<Batches> batches = ThreadLocal.withInitial(Batches::new);

  LockedDeviceListDomain(InvalidationQueues queues) {
    this.queues = queues;
  }

  void attach(Attachment a) {
    devicesLock.lock();
    try {
      int at = 0;
      while (at < devices.size() && ORDER.compare(devices.get(at), a) <= 0) {
        at++;
      }
      devices.add(at, a);
    } finally {
      devicesLock.unlock();
    }
  }

  void detach(Attachment a) {
    devicesLock.lock();
    try {
      devices.remove(a);
    } finally {
      devicesLock.unlock();
    }
  }

  /** Invalidates a leaf range of 4 KiB pages on every instance and ATC. */
  void invalidateRange(long iova, long size) {
    Batches b = batches.get();
    long atcAddress = AtcInvalidation.addressQword(iova, size);
    devicesLock.lock();
    try {
      SmmuId current = null;
      CommandBatch atc = null;
      boolean planned = false;
      boolean plannedRanges = false;
      boolean planOk = false;
      for (int i = 0; i < devices.size(); i++) {
        Attachment a = devices.get(i);
        if (!a.smmu().equals(current)) {
          current = a.smmu();
          atc = null;
          boolean ranges = queues.rangeInvalidation(current);
          if (!planned || ranges != plannedRanges) {
            planOk =
                !TlbiRangeBuilder.sizeTooBig(ranges, size, 4096)
                    && b.plan.plan(ranges, iova, size, 4096, 12, true);
            planned = true;
            plannedRanges = ranges;
          }
          CommandBatch tlbi = b.open(current);
          if (!planOk || !b.plan.appendTo(Opcode.TLBI_NH_VA, 0, a.asid(), tlbi)) {
            TagInvalidation.appendTo(tlbi, Opcode.TLBI_NH_ASID, a.asid());
          }
        }
        if (a.ats()) {
          if (atc == null) {
            atc = b.open(current);
          }
          AtcInvalidation.appendWithAddress(atc, a.sid(), 0, atcAddress);
        }
      }
    } finally {
      devicesLock.unlock();
    }
    try {
      for (int i = 0; i < b.targets.size(); i++) {
        queues.submit(b.targets.get(i), b.lists.get(i));
      }
    } finally {
      b.clear();
    }
  }
}
