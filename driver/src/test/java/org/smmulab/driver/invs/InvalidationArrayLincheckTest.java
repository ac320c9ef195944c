package org.smmulab.driver.invs;

import static org.jetbrains.kotlinx.lincheck.strategy.managed.ManagedStrategyGuaranteeKt.forClasses;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.jetbrains.kotlinx.lincheck.Actor;
import org.jetbrains.kotlinx.lincheck.LinChecker;
import org.jetbrains.kotlinx.lincheck.annotations.Operation;
import org.jetbrains.kotlinx.lincheck.annotations.Param;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;
import org.jetbrains.kotlinx.lincheck.paramgen.IntGen;
import org.jetbrains.kotlinx.lincheck.strategy.managed.modelchecking.ModelCheckingOptions;
import org.junit.jupiter.api.Test;
import org.smmulab.arch.cmd.Command;
import org.smmulab.arch.cmd.CommandBatch;
import org.smmulab.arch.cmd.Opcode;

/**
 * Bounded model checking (Lincheck) of a domain's invalidation array and the real {@link
 * InvalidationWalker}: attach and detach (merge, publish; unref, purge, publish — under the tag
 * lock, as the attach sequence does them) against walks running without it.
 *
 * <p>The sequential specification is this class run one operation at a time. A walk returns the
 * StreamIDs it sent ATC_INV to, in order: in a sequential run exactly the ATS masters attached at
 * that moment, so a concurrent walk must match one such moment. On top of that every walk checks,
 * and reports as a violation that no sequential run produces:
 *
 * <ul>
 *   <li>the ATS fence, as the devices see it: when a detach returns, the master's device counts as
 *       reset until it is attached again, and no ATC_INV may reach it or still be in flight then;
 *   <li>coverage: a master attached before the walk began, and not being detached before it ended,
 *       got its instance's TLBI in a batch before the batch with its ATC_INV (the IOTLB is clean
 *       before the device may refill its ATC).
 * </ul>
 *
 * <p>The TLBIs are checked as a property, not returned: a walk that overlaps the detach of an
 * instance's last master may see the tag entry already dropped and the master's ATS entry not yet
 * (unref works in slot order), and send the ATC_INV alone. That is safe — the STE was switched
 * before unref, and the dead tag is flushed when it is freed — but it is no snapshot of any moment.
 *
 * <p>One scenario is given explicitly: a walk against an attach followed by a detach of a master
 * the walk's array still holds (the stale-version case of {@link AtsFence}).
 */
@Param(name = "master", gen = IntGen.class, conf = "0:2")
public class InvalidationArrayLincheckTest {
  private static final SmmuId SMMU0 = new SmmuId(0);
  private static final SmmuId SMMU1 = new SmmuId(1);
  private static final int FIRST_SID = 0x10;
  private static final long IOVA = 0x40_0000;
  private static final long PAGE = 0x1000;

  /** Three masters: two on SMMU0 sharing ASID 1, one on SMMU1 with ASID 1, all with ATS. */
  private static InvalidationArray listOf(int master) {
    SmmuId smmu = master == 2 ? SMMU1 : SMMU0;
    return InvalidationArray.of(
        Invalidation.s1Asid(smmu, 1, 0, false), Invalidation.ats(smmu, FIRST_SID + master, 0));
  }

  /** Each master's list, used only under the tag lock (unref writes its notification into it). */
  private final InvalidationArray[] lists = {listOf(0), listOf(1), listOf(2)};

  private final ReentrantLock tagLock = new ReentrantLock();
  private final AtomicReference<InvalidationArray> published =
      new AtomicReference<>(InvalidationArray.empty(tagLock));
  private final int[] attached = new int[3];

  /** Detaches begun and ended per master: a walk tells from them which detaches overlap it. */
  private final int[] detachesBegun = new int[3];

  private final int[] detachesEnded = new int[3];

  /**
   * Whether the master's device may be reset: no attachment, and the last detach has returned. An
   * ATC_INV must never reach such a device.
   */
  private final boolean[] deviceReset = {true, true, true};

  /** Attaches {@code master} once more; returns the users of its tag entry afterwards. */
  @Operation
  public int attach(@Param(name = "master") int master) {
    tagLock.lock();
    try {
      deviceReset[master] = false;
      published.set(InvalidationArray.merge(published.get(), lists[master]));
      attached[master]++;
      return tagUsers(master);
    } finally {
      tagLock.unlock();
    }
  }

  /** Detaches one attachment of {@code master} if it has one; returns its tag users afterwards. */
  @Operation
  public int detach(@Param(name = "master") int master) {
    tagLock.lock();
    try {
      if (attached[master] == 0) {
        return tagUsers(master);
      }
      detachesBegun[master]++;
      InvalidationArray current = published.get();
      InvalidationArray.unref(current, lists[master]);
      attached[master]--;
      InvalidationArray purged = InvalidationArray.purge(current);
      if (purged != null) {
        published.set(purged);
      }
      // unref has returned: the caller may now reset the device.
      deviceReset[master] = attached[master] == 0;
      detachesEnded[master]++;
      return tagUsers(master);
    } finally {
      tagLock.unlock();
    }
  }

  /** A one-page unmap's invalidation: the StreamIDs given ATC_INV, or the violation seen. */
  @Operation
  public String walk() {
    boolean[] stable = new boolean[3];
    int[] begun = new int[3];
    for (int m = 0; m < 3; m++) {
      // Attached, no detach in progress, and (checked at the end) none begun since. Reading the
      // begun count first makes a detach racing with these reads show up in one of the checks.
      begun[m] = detachesBegun[m];
      stable[m] = detachesEnded[m] == begun[m] && attached[m] > 0;
    }
    Recorder recorder = new Recorder();
    new InvalidationWalker(recorder).invalidateRange(published, IOVA, PAGE, PAGE, true);
    for (int m = 0; m < 3; m++) {
      if (stable[m] && begun[m] == detachesBegun[m]) {
        recorder.checkCovered(m);
      }
    }
    return recorder.result();
  }

  /** Records the batches and plays the devices: an ATC_INV to a reset device is a violation. */
  private final class Recorder implements InvalidationQueues {
    private final List<String> atcSids = new ArrayList<>();
    private final int[] tlbiBatch = {-1, -1};
    private final int[] atcBatch = {-1, -1, -1};
    private int batches;
    private String violation;

    @Override
    public boolean rangeInvalidation(SmmuId smmu) {
      return false;
    }

    @Override
    public void submit(SmmuId smmu, CommandBatch batch) {
      List<Command> commands = batch.toList();
      for (Command c : commands) {
        if (c.opcode() == Opcode.ATC_INV) {
          checkDevice(c.sid(), "received an ATC_INV after its detach returned");
          atcSids.add("0x" + Integer.toHexString(c.sid()));
          atcBatch[c.sid() - FIRST_SID] = batches;
        } else if (c.opcode() == Opcode.TLBI_NH_VA && c.asid() == 1) {
          tlbiBatch[smmu.index()] = batches;
        } else {
          fail(smmu + " got an unexpected " + c.describe());
        }
      }
      // The CMD_SYNC completes only now: the ATC_INVs were in flight until here.
      for (Command c : commands) {
        if (c.opcode() == Opcode.ATC_INV) {
          checkDevice(c.sid(), "was reset while an ATC_INV to it was in flight");
        }
      }
      batches++;
    }

    private void checkDevice(int sid, String what) {
      if (deviceReset[sid - FIRST_SID]) {
        fail("the device of SID 0x" + Integer.toHexString(sid) + " " + what);
      }
    }

    /** Master {@code m} was attached throughout: its TLBI, then (a later batch) its ATC_INV. */
    void checkCovered(int m) {
      int instance = m == 2 ? 1 : 0;
      if (tlbiBatch[instance] < 0 || atcBatch[m] <= tlbiBatch[instance]) {
        fail("master " + m + ", attached throughout, did not get its TLBI and then its ATC_INV");
      }
    }

    private void fail(String what) {
      if (violation == null) {
        violation = what;
      }
    }

    String result() {
      return violation != null ? "VIOLATION: " + violation : "ATC_INV " + atcSids;
    }
  }

  private int tagUsers(int master) {
    SmmuId smmu = master == 2 ? SMMU1 : SMMU0;
    InvalidationArray invs = published.get();
    for (int i = 0; i < invs.numInvsLocked(); i++) {
      Invalidation e = invs.entryLocked(i);
      int users = invs.usersLocked(i);
      if (e.smmu().equals(smmu) && e.type() == InvalidationType.S1_ASID && users > 0) {
        return users;
      }
    }
    return 0;
  }

  /**
   * Masters 0 and 1 attached; one thread walks while the other attaches master 2 (replacing the
   * array the walk may have loaded) and then detaches master 0.
   */
  private static ExecutionScenario staleVersionScenario() throws NoSuchMethodException {
    return new ExecutionScenario(
        List.of(actor("attach", 0), actor("attach", 1)),
        List.of(List.of(actor("walk")), List.of(actor("attach", 2), actor("detach", 0))),
        List.of(actor("walk")),
        null);
  }

  private static Actor actor(String name, Object... args) throws NoSuchMethodException {
    Class<?>[] types = new Class<?>[args.length];
    Arrays.fill(types, int.class);
    return new Actor(InvalidationArrayLincheckTest.class.getMethod(name, types), List.of(args));
  }

  @Test
  void modelCheck() throws NoSuchMethodException {
    LinChecker.check(
        InvalidationArrayLincheckTest.class,
        new ModelCheckingOptions()
            .addCustomScenario(staleVersionScenario())
            .addGuarantee(
                forClasses(
                        "org.smmulab.arch.cmd.Command",
                        "org.smmulab.arch.codec.QwordImage",
                        "org.smmulab.arch.codec.Field",
                        "org.smmulab.driver.tlbi.AtcInvalidation",
                        "org.smmulab.driver.tlbi.TagInvalidation",
                        "org.smmulab.driver.tlbi.TlbiRangePlan",
                        "org.smmulab.driver.tlbi.TlbiRangeBuilder",
                        // Per-thread buffers: nothing in them is shared.
                        "org.smmulab.driver.invs.WalkBuffers")
                    .allMethods()
                    .treatAsAtomic())
            // Building an unpublished array and reading immutable fields: no other thread can
            // tell a step inside them apart. unref stays observable slot by slot.
            .addGuarantee(
                forClasses(InvalidationArray.class.getName())
                    .methods("merge", "purge", "requireSorted", "isSorted")
                    .treatAsAtomic())
            .addGuarantee(
                forClasses(Invalidation.class.getName())
                    .methods("copyWithUsers", "compare")
                    .treatAsAtomic())
            .iterations(4)
            .invocationsPerIteration(100)
            .actorsBefore(2)
            .threads(2)
            .actorsPerThread(3));
  }
}
