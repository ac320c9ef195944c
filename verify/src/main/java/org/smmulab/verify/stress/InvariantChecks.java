package org.smmulab.verify.stress;

import static org.smmulab.verify.stress.StressWorld.IOVA_BASE;
import static org.smmulab.verify.stress.StressWorld.PAGES;
import static org.smmulab.verify.stress.StressWorld.PASIDS;
import static org.smmulab.verify.stress.StressWorld.REGIONS;
import static org.smmulab.verify.stress.StressWorld.REGION_BASE;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.smmulab.driver.attach.Master;
import org.smmulab.driver.domain.PagingDomain;
import org.smmulab.driver.invs.Invalidation;
import org.smmulab.driver.invs.InvalidationArray;
import org.smmulab.driver.smmu.SmmuDevice;

/**
 * The driver invariants a stress run checks, reported as sentences (each distinct sentence once):
 * after every operation, that each live tag appears in exactly one domain's array per instance and
 * type; at the end, that every array is sorted without trash, and that once everything is detached
 * and unmapped no array entry and no tag is left. Driver thread only.
 */
final class InvariantChecks {
  private final StressWorld world;
  private final Consumer<String> sink;
  private final Set<String> reported = new HashSet<>();

  InvariantChecks(StressWorld world, Consumer<String> sink) {
    this.world = world;
    this.sink = sink;
  }

  private void fail(String detail) {
    if (reported.add(detail)) {
      sink.accept(detail);
    }
  }

  /**
   * Each live tag (users above 0) appears in exactly one domain's array per instance and type. Runs
   * under the driver's tag lock.
   */
  void checkTags() {
    world.driver.tagLock().lock();
    try {
      Map<String, String> owners = new HashMap<>();
      for (PagingDomain d : world.domains) {
        InvalidationArray invs = d.invalidations().get();
        for (int i = 0; i < invs.numInvs(); i++) {
          Invalidation e = invs.entry(i);
          if (e.users() == 0 || e.type().isAts()) {
            continue;
          }
          String key = e.smmu() + " " + e.type() + " " + e.id();
          String other = owners.putIfAbsent(key, d.name());
          if (other != null && !other.equals(d.name())) {
            fail(key + " is live in both " + other + " and " + d.name());
          }
        }
      }
    } finally {
      world.driver.tagLock().unlock();
    }
  }

  /**
   * Arrays sorted without trash; then detaches and unmaps everything and checks that no array entry
   * and no tag is left.
   */
  void checkAtEnd() throws Exception {
    world.driver.tagLock().lock();
    try {
      for (PagingDomain d : world.domains) {
        InvalidationArray invs = d.invalidations().get();
        for (int i = 1; i < invs.numInvs(); i++) {
          if (Invalidation.compare(invs.entry(i - 1), invs.entry(i)) >= 0) {
            fail(d.name() + ": array not sorted at slot " + i);
          }
        }
        if (invs.numTrashes() != 0) {
          fail(d.name() + ": " + invs.numTrashes() + " trash slots left after purge");
        }
      }
    } finally {
      world.driver.tagLock().unlock();
    }
    for (Master m : world.masters) {
      for (int ssid = 1; ssid <= PASIDS; ssid++) {
        world.driver.detachPasid(m, ssid);
      }
      world.driver.detach(m);
    }
    for (PagingDomain domain : world.domains) {
      domain.unmap(IOVA_BASE, PAGES * 4096L);
      for (int r = 0; r < REGIONS; r++) {
        domain.unmap(REGION_BASE + r * 0x20_0000L, 0x20_0000);
      }
      if (domain.invalidations().get().numInvs() != 0) {
        fail(domain.name() + ": entries left after every master detached");
      }
    }
    for (SmmuDevice instance : world.driver.instances()) {
      var usage = world.driver.tagUsage(instance.id());
      if (usage.asids() != 0 || usage.vmids() != 0) {
        fail(
            instance.name()
                + ": "
                + usage.asids()
                + " ASIDs and "
                + usage.vmids()
                + " VMIDs still allocated after everything was detached");
      }
    }
  }
}
