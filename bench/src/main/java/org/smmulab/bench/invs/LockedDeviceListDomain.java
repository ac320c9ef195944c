package org.smmulab.bench.invs;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.smmulab.arch.cmd.Command;
import org.smmulab.driver.invs.InvalidationQueues;
import org.smmulab.driver.invs.SmmuId;
import org.smmulab.driver.tlbi.AtcInvalidation;
import org.smmulab.driver.tlbi.TlbiBase;
import org.smmulab.driver.tlbi.TlbiRangeBuilder;

/**
 * The baseline: a stage-1 domain tied to its masters by a list guarded by a lock (the kernel's
 * {@code smmu_domain->devices} under {@code devices_lock}). Attach and detach add and remove list
 * elements under the lock; an invalidation takes the lock, walks every attachment to build the
 * commands, releases it and submits. It sends exactly the commands the {@link
 * org.smmulab.driver.invs.InvalidationWalker} sends for the same attachments — per instance, the
 * TLBIs of its tag with one CMD_SYNC, then the ATC invalidations with another — so the two designs
 * differ only in how they find the work.
 */
final class LockedDeviceListDomain {
  /** One master attached through one instance. */
  record Attachment(SmmuId smmu, int asid, int sid, boolean ats) {}

  private static final Comparator<Attachment> ORDER =
      Comparator.comparing(Attachment::smmu).thenComparingInt(Attachment::sid);

  private final ReentrantLock devicesLock = new ReentrantLock();
  private final List<Attachment> devices = new ArrayList<>();
  private final InvalidationQueues queues;

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
    List<SmmuId> targets = new ArrayList<>();
    List<List<Command>> batches = new ArrayList<>();
    devicesLock.lock();
    try {
      SmmuId current = null;
      List<Command> atc = null;
      for (Attachment a : devices) {
        if (!a.smmu().equals(current)) {
          flushAtc(current, atc, targets, batches);
          current = a.smmu();
          boolean ranges = queues.rangeInvalidation(current);
          targets.add(current);
          batches.add(
              new TlbiRangeBuilder(ranges)
                  .commands(TlbiBase.nhVa(0, a.asid()), iova, size, 4096, 12, true));
          atc = new ArrayList<>();
        }
        if (a.ats()) {
          atc.add(AtcInvalidation.command(a.sid(), 0, iova, size));
        }
      }
      flushAtc(current, atc, targets, batches);
    } finally {
      devicesLock.unlock();
    }
    for (int i = 0; i < targets.size(); i++) {
      queues.submit(targets.get(i), batches.get(i));
    }
  }

  private static void flushAtc(
      SmmuId smmu, List<Command> atc, List<SmmuId> targets, List<List<Command>> batches) {
    if (smmu != null && !atc.isEmpty()) {
      targets.add(smmu);
      batches.add(atc);
    }
  }
}
