package org.smmulab.peer.diff;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.smmulab.arch.bus.BusAbort;
import org.smmulab.driver.alloc.AllocatorExhaustedException;
import org.smmulab.driver.probe.ProbeException;
import org.smmulab.driver.smmu.DriverOptions;
import org.smmulab.driver.smmu.ResetException;
import org.smmulab.peer.PeerMachine;

/**
 * Runs one operation sequence on two peers — the hardware model and QEMU — through two instances of
 * the same driver, and compares them step by step ({@link StepComparison}), after comparing the ID
 * registers ({@link IdRegisterComparison}, step 0).
 *
 * <p>Both peers get exactly the same operations, including after a difference: the report lists
 * every difference, not only the first.
 */
public final class DifferentialRunner {
  /** Stage-1 domains in every run. */
  public static final int DOMAINS = 3;

  private final DriverOptions options;
  private final Consumer<String> progress;

  /**
   * @param options the driver options of both driver instances (injections included)
   * @param progress told "step N/M" now and then (may ignore it)
   */
  public DifferentialRunner(DriverOptions options, Consumer<String> progress) {
    this.options = options;
    this.progress = progress;
  }

  /**
   * Runs the seeded operations {@code ops} on both machines, which must be freshly started with the
   * same devices ({@link PeerPlan#seeded}).
   *
   * @param source a description of where the operations came from, for the report
   * @throws ProbeException if a driver refuses its SMMU
   * @throws ResetException if an SMMU does not come up
   */
  public DiffReport run(PeerMachine model, PeerMachine qemu, List<PeerOp> ops, String source)
      throws ProbeException, ResetException, AllocatorExhaustedException, BusAbort {
    return run(model, qemu, PeerPlan.seeded(source, ops));
  }

  /**
   * Runs {@code plan} on both machines, which must be freshly started with the same devices.
   *
   * @throws ProbeException if a driver refuses its SMMU
   * @throws ResetException if an SMMU does not come up
   * @throws IllegalArgumentException if the machines have different numbers of devices
   */
  public DiffReport run(PeerMachine model, PeerMachine qemu, PeerPlan plan)
      throws ProbeException, ResetException, AllocatorExhaustedException, BusAbort {
    long start = System.nanoTime();
    if (model.devices().size() != qemu.devices().size()) {
      throw new IllegalArgumentException(
          "the peers have "
              + model.devices().size()
              + " and "
              + qemu.devices().size()
              + " devices");
    }
    List<Difference> differences =
        new ArrayList<>(IdRegisterComparison.compare(model.smmuRegisters(), qemu.smmuRegisters()));
    PeerWorld onModel = new PeerWorld(model, options, plan.domains(), plan.region());
    PeerWorld onQemu = new PeerWorld(qemu, options, plan.domains(), plan.region());
    List<PeerStep> steps = plan.steps();
    int agreements = 0;
    int dmas = 0;
    int faulting = 0;
    long commands = 0;
    for (int i = 0; i < steps.size(); i++) {
      PeerStep s = steps.get(i);
      PeerOp op = s.op();
      StepOutcome m = onModel.apply(op);
      StepOutcome q = onQemu.apply(op);
      List<Difference> step = StepComparison.compare(i + 1, s.description(), op, m, q);
      if (step.isEmpty()) {
        agreements++;
      }
      differences.addAll(step);
      commands += m.commands().size();
      if (op instanceof PeerOp.Dma) {
        dmas++;
        if (!m.events().isEmpty()) {
          faulting++;
        }
      }
      if ((i + 1) % 25 == 0 || i + 1 == steps.size()) {
        progress.accept(
            String.format("step %d/%d, %d differences", i + 1, steps.size(), differences.size()));
      }
    }
    return new DiffReport(
        plan.source(),
        plan.notes(),
        steps.size(),
        agreements,
        dmas,
        faulting,
        commands,
        differences,
        (System.nanoTime() - start) / 1e9);
  }
}
