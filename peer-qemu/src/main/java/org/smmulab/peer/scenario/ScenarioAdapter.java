package org.smmulab.peer.scenario;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.smmulab.driver.smmu.DriverOptions;
import org.smmulab.peer.diff.DomainShape;
import org.smmulab.peer.diff.MappedRegion;
import org.smmulab.peer.diff.PeerOp;
import org.smmulab.peer.diff.PeerPlan;
import org.smmulab.peer.diff.PeerStep;
import org.smmulab.verify.scenario.AttachStep;
import org.smmulab.verify.scenario.DetachStep;
import org.smmulab.verify.scenario.DeviceSpec;
import org.smmulab.verify.scenario.DmaStep;
import org.smmulab.verify.scenario.DomainSpec;
import org.smmulab.verify.scenario.ExpectStep;
import org.smmulab.verify.scenario.MapStep;
import org.smmulab.verify.scenario.Scenario;
import org.smmulab.verify.scenario.ScenarioException;
import org.smmulab.verify.scenario.ShowStep;
import org.smmulab.verify.scenario.Step;
import org.smmulab.verify.scenario.UnmapStep;

/**
 * Turns a loaded scenario ({@link org.smmulab.verify.scenario.ScenarioLoader}) into the operations
 * the differential runner performs on the QEMU peer and on the model, or refuses it at the first
 * node that asks for something the peer cannot do ({@link PeerLimits}).
 *
 * <ul>
 *   <li>Devices become edu devices in declaration order: the first is edu0 with StreamID 0x10 (its
 *       devfn, bus 0 device 2), the next edu1 with 0x18, and so on; a declared {@code sid} that
 *       differs is replaced, and the report's notes say so.
 *   <li>Domains become stage-1 domains with the declared granule, input and output sizes.
 *   <li>{@code attach}, {@code detach}, {@code map} and {@code unmap} become the same driver calls
 *       ({@code attach} to {@code blocked} is a detach). A {@code dma} becomes an edu copy of the
 *       same size between the IOVA and the start of the device's buffer, a write for {@code access:
 *       write}.
 *   <li>Expectations are not evaluated: {@code expect} and {@code show} steps are left out, and the
 *       {@code expect} of a DMA or an operation is ignored, while the DMA or operation itself runs
 *       on both peers and is compared. They are statements about the driver and the model, which
 *       {@code smmulab run} checks; on the peer the question is only whether QEMU and the model do
 *       the same. The report's notes count what was left out.
 *   <li>DMAs use the memory the map steps name ({@link MappedRegion}), at most {@value
 *       #MAX_MAPPED_BYTES} bytes in all.
 * </ul>
 *
 * <p>Stateless.
 */
public final class ScenarioAdapter {
  /** The most physical memory a scenario may map: the peer prepares and measures it every DMA. */
  public static final long MAX_MAPPED_BYTES = 16L << 20;

  private ScenarioAdapter() {}

  /**
   * The peer run of {@code scenario}.
   *
   * @throws ScenarioException at the first declaration or step the peer cannot run
   */
  public static PeerScenario adapt(Scenario scenario) throws ScenarioException {
    PeerLimits.checkInjections(scenario);
    PeerLimits.checkInstances(scenario.instances());
    Map<String, Integer> devices = new HashMap<>();
    List<String> aliases = new ArrayList<>();
    for (DeviceSpec d : scenario.devices()) {
      int index = devices.size();
      PeerLimits.checkDevice(d, index);
      devices.put(d.name(), index);
      int sid = PeerLimits.eduStreamId(index);
      aliases.add(
          String.format(
              "%s as edu%d (StreamID 0x%x%s)",
              d.name(),
              index,
              sid,
              d.streamId() == sid ? "" : String.format(", not its declared 0x%x", d.streamId())));
    }
    Map<String, Integer> domains = new HashMap<>();
    List<DomainShape> shapes = new ArrayList<>();
    for (DomainSpec d : scenario.domains()) {
      PeerLimits.checkDomain(d);
      domains.put(d.name(), shapes.size());
      shapes.add(new DomainShape(d.name(), d.granule(), d.ias(), d.oas()));
    }
    Translation t = new Translation(devices, domains);
    for (Step step : scenario.steps()) {
      t.add(step);
    }
    if (t.steps.isEmpty()) {
      throw new ScenarioException(
          scenario.steps().get(0).at(),
          "the scenario has only expect and show steps; the QEMU peer runs attach, detach, map,"
              + " unmap and dma");
    }
    List<String> notes = new ArrayList<>();
    if (!aliases.isEmpty()) {
      notes.add("devices run as edu devices, in declaration order: " + String.join(", ", aliases));
    }
    if (t.skipped > 0 || t.ignored > 0) {
      notes.add(
          String.format(
              "expectations are not evaluated on the peer (smmulab run checks them): %d expect or"
                  + " show step%s left out, the expect of %d operation or dma step%s ignored",
              t.skipped, t.skipped == 1 ? "" : "s", t.ignored, t.ignored == 1 ? "" : "s"));
    }
    PeerPlan plan =
        new PeerPlan(
            String.format(
                "scenario %s (%s), %d operations",
                scenario.name(), scenario.file(), t.steps.size()),
            shapes,
            t.mapped.build(),
            t.steps,
            notes);
    DriverOptions d = DriverOptions.DEFAULTS;
    DriverOptions options =
        new DriverOptions(
            d.cmdqLog2(),
            d.evtqLog2(),
            d.syncTimeout(),
            scenario.driver().asidSpace(),
            scenario.driver().injections());
    return new PeerScenario(plan, Math.max(1, devices.size()), options);
  }

  /** The steps translated so far, and what was left out. */
  private static final class Translation {
    private final Map<String, Integer> devices;
    private final Map<String, Integer> domains;
    private final List<PeerStep> steps = new ArrayList<>();
    private final MappedRegion.Builder mapped = MappedRegion.builder();
    private int skipped;
    private int ignored;

    Translation(Map<String, Integer> devices, Map<String, Integer> domains) {
      this.devices = devices;
      this.domains = domains;
    }

    void add(Step step) throws ScenarioException {
      PeerOp op;
      boolean expects;
      if (step instanceof AttachStep a) {
        PeerLimits.checkPasid(a.at(), a.pasid());
        int device = devices.get(a.device());
        op =
            a.domain() == null
                ? new PeerOp.Detach(device)
                : new PeerOp.Attach(device, domains.get(a.domain()));
        expects = a.expectedError() != null;
      } else if (step instanceof DetachStep d) {
        PeerLimits.checkPasid(d.at(), d.pasid());
        op = new PeerOp.Detach(devices.get(d.device()));
        expects = false;
      } else if (step instanceof MapStep m) {
        PeerLimits.checkIovaRange(m.at(), m.iova(), m.size());
        PeerLimits.checkPhysicalRange(m.at(), m.pa(), m.size());
        mapped.add(m.pa(), m.size());
        PeerLimits.checkObservedBytes(m.at(), mapped.bytes(), MAX_MAPPED_BYTES);
        op = new PeerOp.Map(domains.get(m.domain()), m.iova(), m.pa(), m.size(), m.prot());
        expects = m.expectedError() != null;
      } else if (step instanceof UnmapStep u) {
        PeerLimits.checkIovaRange(u.at(), u.iova(), u.size());
        op = new PeerOp.Unmap(domains.get(u.domain()), u.iova(), u.size());
        expects = u.expectedError() != null;
      } else if (step instanceof DmaStep d) {
        PeerLimits.checkPasid(d.at(), d.pasid());
        PeerLimits.checkIovaRange(d.at(), d.iova(), d.size());
        PeerLimits.checkCopy(d.at(), d.size());
        op = new PeerOp.Dma(devices.get(d.device()), d.write(), d.iova(), 0, d.size());
        expects = d.expect() != null;
      } else if (step instanceof ExpectStep || step instanceof ShowStep) {
        skipped++;
        return;
      } else {
        throw new IllegalStateException("unknown step " + step);
      }
      if (expects) {
        ignored++;
      }
      steps.add(new PeerStep(op, step.describe() + " at " + step.at()));
    }
  }
}
