package org.smmulab.verify.scenario;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.smmulab.arch.bus.BusAbort;
import org.smmulab.arch.cmd.Command;
import org.smmulab.arch.event.EventRecord;
import org.smmulab.driver.alloc.AllocatorExhaustedException;
import org.smmulab.driver.attach.AttachException;
import org.smmulab.driver.attach.Master;
import org.smmulab.driver.domain.BlockedDomain;
import org.smmulab.driver.domain.Domain;
import org.smmulab.driver.domain.PagingDomain;
import org.smmulab.driver.invs.Invalidation;
import org.smmulab.driver.invs.InvalidationArray;
import org.smmulab.driver.pgtable.AlreadyMappedException;
import org.smmulab.driver.pgtable.UnmapResult;
import org.smmulab.driver.queue.QueueListener;
import org.smmulab.hw.pcie.AtcEntry;
import org.smmulab.hw.pcie.DmaRequest;
import org.smmulab.hw.pcie.DmaResult;
import org.smmulab.hw.pcie.DmaSegment;
import org.smmulab.hw.pcie.Endpoint;
import org.smmulab.hw.smmu.Smmu;
import org.smmulab.hw.smmu.observe.SmmuStatistics;
import org.smmulab.hw.smmu.tlb.TlbEntry;
import org.smmulab.verify.oracle.LogicalClock;
import org.smmulab.verify.oracle.Oracle;
import org.smmulab.verify.oracle.Violation;
import org.smmulab.verify.oracle.ViolationClass;

/**
 * Runs a {@link Scenario}: builds its machine (the hardware model's instances, the driver probed on
 * them, the devices and domains), performs each step on the real driver with the isolation oracle
 * recording every map, unmap, attach and detach and judging every DMA, evaluates expectations, and
 * returns a {@link ScenarioResult}. Every step runs, whatever the previous ones did.
 *
 * <p>An operation step that expects an error passes only when the driver fails that way and the
 * machine's state ({@link MachineState}: tags, arrays, page tables, attachments, STEs and CDs,
 * commands consumed) is exactly as before.
 *
 * <p>At the end, every invalidation array must be sorted and free of trash and every live tag must
 * belong to one domain only; a breach is reported as an {@link ViolationClass#INVARIANT} violation.
 *
 * <p>One run per instance; {@link #run} is not thread-safe. Steps run on the calling thread; the
 * instances consume commands on their own threads when their preset says so.
 */
public final class ScenarioRunner {
  private final Scenario scenario;
  private TraceListener trace = TraceListener.NONE;

  private final LogicalClock clock = new LogicalClock();
  private final Oracle oracle = new Oracle(clock);
  private final ConcurrentLinkedQueue<String> driverReports = new ConcurrentLinkedQueue<>();
  private final List<Violation> violations = new ArrayList<>();
  private final Map<String, Map<Integer, String>> pasids = new HashMap<>();
  private Map<String, Map<String, Long>> lastOperationCommands = Map.of();
  private Map<String, Map<String, Long>> stepsStart = Map.of();
  private long dmasChecked;
  private boolean ran;
  private ScenarioMachine m;

  /**
   * @param scenario what to run
   */
  public ScenarioRunner(Scenario scenario) {
    this.scenario = scenario;
  }

  /**
   * Sends every command, event and translation, and the start of every step, to {@code listener}.
   *
   * @return this runner
   */
  public ScenarioRunner trace(TraceListener listener) {
    this.trace = listener;
    return this;
  }

  /**
   * Runs the scenario.
   *
   * @throws ScenarioException if the driver refuses an instance, device or domain of the scenario
   *     (at its declaration)
   * @throws IllegalStateException if this runner has already run
   */
  public ScenarioResult run() throws ScenarioException {
    if (ran) {
      throw new IllegalStateException("a scenario runner runs once; make another");
    }
    ran = true;
    try (ScenarioMachine machine = new ScenarioMachine(scenario, new Reports(), trace)) {
      m = machine;
      for (PagingDomain domain : m.domains.values()) {
        oracle.register(domain);
      }
      Map<String, Map<String, Long>> setup = m.commandCounts();
      stepsStart = setup;
      driverReports.clear();
      List<StepResult> results = new ArrayList<>();
      int failed = 0;
      List<Step> steps = scenario.steps();
      for (int i = 0; i < steps.size(); i++) {
        trace.step(i, steps.get(i));
        Outcome outcome = new Outcome(i, steps.get(i));
        perform(outcome);
        StepResult result = outcome.result();
        if (outcome.expectationFailed) {
          failed++;
        }
        results.add(result);
      }
      checkInvariants();
      Map<String, SmmuStatistics> counters = new LinkedHashMap<>();
      m.smmus.forEach((name, smmu) -> counters.put(name, smmu.statistics()));
      return new ScenarioResult(
          scenario, results, failed, violations, dmasChecked, setup, m.tags(), counters);
    } finally {
      m = null;
    }
  }

  /** What the driver's queues reported; collected during a step and reported with it. */
  private final class Reports implements QueueListener {
    @Override
    public void commandError(String instance, String error, Command command) {
      driverReports.add(instance + ": command queue error " + error + " at " + command.describe());
    }

    @Override
    public void syncTimeout(String instance, String details) {
      driverReports.add(instance + ": CMD_SYNC timed out: " + details);
    }

    @Override
    public void eventOverflow(String instance) {
      driverReports.add(instance + ": event queue overflowed");
    }

    @Override
    public void globalErrors(String instance, int bits) {
      driverReports.add(instance + ": global errors 0x" + Integer.toHexString(bits));
    }
  }

  /** The result of one step, built while it runs. */
  private static final class Outcome {
    final int index;
    final Step step;
    boolean expectationFailed;
    final List<String> messages = new ArrayList<>();
    ErrorKind error;
    String driverMessage;
    Map<String, Map<String, Long>> commands = Map.of();
    List<TagInfo> allocated = List.of();
    List<TagInfo> freed = List.of();
    DmaOutcome dma;
    final List<Check> checks = new ArrayList<>();
    Snapshot snapshot;
    Violation violation;

    Outcome(int index, Step step) {
      this.index = index;
      this.step = step;
    }

    void fail(String message) {
      expectationFailed = true;
      messages.add(message);
    }

    void check(Check check) {
      checks.add(check);
      if (!check.ok()) {
        expectationFailed = true;
      }
    }

    StepResult result() {
      return new StepResult(
          index,
          step,
          !expectationFailed && violation == null,
          messages.isEmpty() ? null : String.join("; ", messages),
          error,
          driverMessage,
          commands,
          allocated,
          freed,
          dma,
          List.copyOf(checks),
          snapshot,
          violation);
    }
  }

  // ---------------------------------------------------------------- steps

  private void perform(Outcome o) {
    Map<String, Map<String, Long>> commandsBefore = m.commandCounts();
    Map<String, List<TagInfo>> tagsBefore = m.tags();
    try {
      if (o.step instanceof AttachStep s) {
        operate(o, s, () -> attach(o, s));
      } else if (o.step instanceof DetachStep s) {
        operate(o, s, () -> detach(s));
      } else if (o.step instanceof MapStep s) {
        operate(o, s, () -> map(o, s));
      } else if (o.step instanceof UnmapStep s) {
        operate(o, s, () -> unmap(o, s));
      } else if (o.step instanceof DmaStep s) {
        dma(o, s);
      } else if (o.step instanceof ExpectStep s) {
        expect(o, s);
      } else {
        o.snapshot = snapshot((ShowStep) o.step);
      }
    } catch (BusAbort e) {
      o.fail("the driver's memory access aborted: " + e.getMessage());
    }
    o.commands = ScenarioMachine.difference(m.commandCounts(), commandsBefore);
    if (o.step instanceof OperationStep) {
      lastOperationCommands = o.commands;
    }
    Map<String, List<TagInfo>> tagsAfter = m.tags();
    o.allocated = tagDifference(tagsAfter, tagsBefore);
    o.freed = tagDifference(tagsBefore, tagsAfter);
    for (String report = driverReports.poll(); report != null; report = driverReports.poll()) {
      o.fail(report);
    }
  }

  /** A driver call that may fail with an expected error. */
  private interface Operation {
    /**
     * Performs the call.
     *
     * @return the error it failed with, or {@code null} when it succeeded
     */
    ErrorKind call() throws BusAbort;
  }

  private void operate(Outcome o, OperationStep step, Operation operation) throws BusAbort {
    ErrorKind expected = step.expectedError();
    MachineState before = expected == null ? null : MachineState.capture(m, pasidsOf(step));
    ErrorKind error = operation.call();
    o.error = error;
    String why = error == null ? "" : " (" + o.driverMessage + ")";
    if (expected == null) {
      if (error != null) {
        o.fail("failed with " + error.label() + why);
      }
    } else if (error == null) {
      o.fail("expected it to fail with " + expected.label() + ", but it succeeded");
    } else if (error != expected) {
      o.fail(
          "expected it to fail with "
              + expected.label()
              + ", but it failed with "
              + error.label()
              + why);
    } else {
      String changed = before.difference(MachineState.capture(m, pasidsOf(step)));
      if (changed != null) {
        o.fail("it failed with " + error.label() + " as expected, but " + changed);
      } else {
        o.messages.add("failed with " + error.label() + " as expected; nothing changed");
      }
    }
  }

  /** Per device, the SubstreamIDs whose CDs the unchanged check reads. */
  private Map<String, Set<Integer>> pasidsOf(OperationStep step) {
    Map<String, Set<Integer>> out = new HashMap<>();
    pasids.forEach((device, byPasid) -> out.put(device, new TreeSet<>(byPasid.keySet())));
    if (step instanceof AttachStep a && a.pasid() != 0) {
      out.computeIfAbsent(a.device(), x -> new TreeSet<>()).add(a.pasid());
    }
    return out;
  }

  private ErrorKind attach(Outcome o, AttachStep s) throws BusAbort {
    Master master = m.masters.get(s.device());
    Domain next = s.domain() == null ? BlockedDomain.INSTANCE : m.domains.get(s.domain());
    String who = s.pasid() == 0 ? s.device() : s.device() + "#" + s.pasid();
    Oracle.AttachmentRecord record = oracle.beginAttach(who, next);
    boolean ok = false;
    try {
      if (s.pasid() == 0) {
        m.driver.attach(master, next);
      } else {
        m.driver.attachPasid(master, s.pasid(), (PagingDomain) next);
        pasids.computeIfAbsent(s.device(), x -> new LinkedHashMap<>()).put(s.pasid(), s.domain());
      }
      ok = true;
      return null;
    } catch (AttachException e) {
      o.driverMessage = e.getMessage();
      return ErrorKind.of(e.kind());
    } finally {
      oracle.endAttach(who, record, ok);
    }
  }

  private ErrorKind detach(DetachStep s) throws BusAbort {
    Master master = m.masters.get(s.device());
    String who = s.pasid() == 0 ? s.device() : s.device() + "#" + s.pasid();
    Oracle.AttachmentRecord record =
        oracle.beginAttach(who, s.pasid() == 0 ? BlockedDomain.INSTANCE : null);
    try {
      if (s.pasid() == 0) {
        m.driver.detach(master);
      } else {
        m.driver.detachPasid(master, s.pasid());
        pasids.getOrDefault(s.device(), new HashMap<>()).remove(s.pasid());
      }
    } finally {
      oracle.endAttach(who, record, true);
    }
    return null;
  }

  private ErrorKind map(Outcome o, MapStep s) throws BusAbort {
    PagingDomain domain = m.domains.get(s.domain());
    List<Oracle.MappingRecord> records =
        oracle.beginMap(domain, s.iova(), s.pa(), s.size(), s.prot());
    boolean ok = false;
    try {
      domain.map(s.iova(), s.pa(), s.size(), s.prot());
      ok = true;
      return null;
    } catch (AlreadyMappedException e) {
      o.driverMessage = e.getMessage();
      return ErrorKind.ALREADY_MAPPED;
    } catch (AllocatorExhaustedException e) {
      o.driverMessage = e.getMessage();
      return ErrorKind.OUT_OF_MEMORY;
    } finally {
      oracle.endMap(domain, s.iova(), records, ok);
    }
  }

  private ErrorKind unmap(Outcome o, UnmapStep s) throws BusAbort {
    PagingDomain domain = m.domains.get(s.domain());
    List<Oracle.MappingRecord> records = oracle.beginUnmap(domain, s.iova(), s.size());
    UnmapResult r = domain.unmap(s.iova(), s.size());
    oracle.endUnmap(domain, s.iova(), r.unmappedBytes(), records);
    if (r.unmappedBytes() == 0) {
      o.driverMessage =
          String.format("nothing unmapped at 0x%x: not mapped, or inside a larger block", s.iova());
      return ErrorKind.NOT_MAPPED;
    }
    String freed =
        r.tablePagesFreed() == 0
            ? ""
            : "; "
                + r.tablePagesFreed()
                + " table page"
                + (r.tablePagesFreed() == 1 ? "" : "s")
                + " freed";
    if (r.unmappedBytes() != s.size()) {
      o.fail(
          String.format(
              "unmapped only %s of %s (the range has a hole, or ends inside a block)",
              Numbers.size(r.unmappedBytes()), Numbers.size(s.size())));
    } else {
      o.messages.add("unmapped " + Numbers.size(r.unmappedBytes()) + freed);
    }
    return null;
  }

  private void dma(Outcome o, DmaStep s) {
    Endpoint ep = m.endpoints.get(s.device());
    int sid = m.devices.get(s.device()).streamId();
    DmaRequest request;
    if (s.write()) {
      byte[] data = new byte[s.size()];
      for (int i = 0; i < data.length; i++) {
        data[i] = (byte) (o.index + i);
      }
      request = DmaRequest.write(sid, s.iova(), data);
    } else {
      request = DmaRequest.read(sid, s.iova(), s.size());
    }
    if (s.pasid() != 0) {
      request = request.withSubstream(s.pasid());
    }
    long t0 = clock.tick();
    DmaResult result = ep.dma(request);
    long t1 = clock.tickAfterPublished();
    String who = s.pasid() == 0 ? s.device() : s.device() + "#" + s.pasid();
    Violation v = oracle.check(who, request, result, t0, t1);
    dmasChecked++;
    if (v != null) {
      o.violation = v;
      violations.add(v);
    }
    o.dma = outcome(result);
    if (s.expect() != null) {
      o.check(DmaChecks.check(s.expect(), o.dma));
    }
  }

  private static DmaOutcome outcome(DmaResult r) {
    if (r.completed()) {
      DmaSegment first = r.segments().get(0);
      return new DmaOutcome(true, first.pa(), first.source(), null, null);
    }
    EventRecord event = r.event();
    if (event == null) {
      return new DmaOutcome(false, -1, null, DmaExpectation.UNRECORDED, r.faultReason());
    }
    String type =
        event.type() != null ? event.type().name() : String.format("0x%02x", event.typeValue());
    return new DmaOutcome(false, -1, null, type, event.describe());
  }

  private void expect(Outcome o, ExpectStep s) {
    Map<String, List<TagInfo>> tags = m.tags();
    s.tags()
        .forEach(
            (instance, expected) ->
                o.check(
                    TagChecks.check(
                        instance,
                        expected,
                        tags.get(instance),
                        m.driver.tagUsage(m.instances.get(instance).id()))));
    Map<String, List<ArrayEntry>> arrays = m.arrays();
    s.arrays()
        .forEach(
            (domain, expected) -> o.check(ArrayChecks.check(domain, expected, arrays.get(domain))));
    s.commands()
        .forEach(
            (instance, expected) -> {
              Map<String, Long> found = lastOperationCommands.getOrDefault(instance, Map.of());
              boolean ok = found.equals(expected);
              o.check(
                  new Check(
                      "commands on " + instance,
                      ok,
                      ok ? "received " + found : "expected " + expected + ", received " + found));
            });
  }

  private Snapshot snapshot(ShowStep s) {
    Set<ShowStep.Part> p = s.parts();
    Map<String, Map<String, Long>> counts =
        p.contains(ShowStep.Part.COMMANDS) ? m.commandCounts() : null;
    Map<String, List<TlbEntry>> tlb = null;
    Map<String, List<AtcEntry>> atc = null;
    if (p.contains(ShowStep.Part.TLB)) {
      tlb = new LinkedHashMap<>();
      for (Map.Entry<String, Smmu> e : m.smmus.entrySet()) {
        tlb.put(e.getKey(), e.getValue().caches().tlbEntries());
      }
      atc = new LinkedHashMap<>();
      for (Map.Entry<String, Endpoint> e : m.endpoints.entrySet()) {
        if (e.getValue().atc() != null) {
          atc.put(e.getKey(), e.getValue().atc().entries());
        }
      }
    }
    Map<String, SmmuStatistics> counters = null;
    if (p.contains(ShowStep.Part.COUNTERS)) {
      counters = new LinkedHashMap<>();
      for (Map.Entry<String, Smmu> e : m.smmus.entrySet()) {
        counters.put(e.getKey(), e.getValue().statistics());
      }
    }
    return new Snapshot(
        p.contains(ShowStep.Part.TAGS) ? m.tags() : null,
        p.contains(ShowStep.Part.ARRAYS) ? m.arrays() : null,
        counts == null ? null : lastOperationCommands,
        counts == null ? null : ScenarioMachine.difference(counts, stepsStart),
        tlb,
        atc,
        counters);
  }

  private static List<TagInfo> tagDifference(
      Map<String, List<TagInfo>> present, Map<String, List<TagInfo>> absent) {
    List<TagInfo> out = new ArrayList<>();
    present.forEach(
        (instance, tags) -> {
          for (TagInfo t : tags) {
            if (absent.getOrDefault(instance, List.of()).stream().noneMatch(t::sameTag)) {
              out.add(t);
            }
          }
        });
    return out;
  }

  // ---------------------------------------------------------------- end of run

  private void checkInvariants() {
    Map<String, String> owners = new HashMap<>();
    m.driver.tagLock().lock();
    try {
      for (PagingDomain d : m.domains.values()) {
        InvalidationArray invs = d.invalidations().get();
        for (int i = 1; i < invs.numInvs(); i++) {
          if (Invalidation.compare(invs.entry(i - 1), invs.entry(i)) >= 0) {
            invariant(d.name() + ": invalidation array not sorted at slot " + i);
          }
        }
        if (invs.numTrashes() != 0) {
          invariant(d.name() + ": " + invs.numTrashes() + " trash slots left after purge");
        }
        for (int i = 0; i < invs.numInvs(); i++) {
          Invalidation e = invs.entry(i);
          if (e.users() == 0 || e.type().isAts()) {
            continue;
          }
          String key = m.instanceName(e.smmu()) + " " + e.type() + " " + e.id();
          String other = owners.putIfAbsent(key, d.name());
          if (other != null && !other.equals(d.name())) {
            invariant(key + " is live in both " + other + " and " + d.name());
          }
        }
      }
    } finally {
      m.driver.tagLock().unlock();
    }
  }

  private void invariant(String detail) {
    violations.add(
        new Violation(ViolationClass.INVARIANT, null, -1, 0, -1, 0, 0, "driver", detail));
  }
}
