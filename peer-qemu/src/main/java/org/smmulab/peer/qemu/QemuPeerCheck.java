package org.smmulab.peer.qemu;

import java.util.List;
import java.util.function.Consumer;
import org.smmulab.driver.smmu.DriverOptions;
import org.smmulab.peer.diff.DiffReport;
import org.smmulab.peer.diff.DifferentialRunner;
import org.smmulab.peer.diff.OpSequence;
import org.smmulab.peer.diff.PeerOp;
import org.smmulab.peer.model.ModelMachine;
import org.smmulab.peer.scenario.PeerScenario;
import org.smmulab.peer.scenario.ScenarioAdapter;

/**
 * The whole differential check in one call, as {@code smmulab peer qemu} runs it: start QEMU and
 * the {@code qemu-like} model with the same edu devices ({@value #DEVICES} for a seeded sequence,
 * one per scenario device for a scenario), run the operations on both, end QEMU.
 */
public final class QemuPeerCheck {
  /** edu devices on each peer. */
  public static final int DEVICES = 3;

  private QemuPeerCheck() {}

  /**
   * Runs the seeded random sequence of {@code ops} operations.
   *
   * @param progress told "step N/M, K differences" every 25 steps
   * @throws PeerUnavailableException if QEMU or the cross-compiler is missing, or the stub does not
   *     build
   * @throws PeerLinkException if QEMU stops answering
   */
  public static DiffReport seeded(
      long seed, int ops, DriverOptions options, Consumer<String> progress) throws Exception {
    List<PeerOp> sequence = OpSequence.random(seed, ops, DEVICES, DifferentialRunner.DOMAINS);
    try (QemuMachine qemu = QemuMachine.start(DEVICES);
        ModelMachine model = new ModelMachine(DEVICES)) {
      return new DifferentialRunner(options, progress)
          .run(model, qemu, sequence, "seed " + seed + ", " + ops + " operations");
    }
  }

  /**
   * Runs a scenario made ready for the peer ({@link ScenarioAdapter#adapt}) with its own driver
   * options.
   *
   * @param progress told "step N/M, K differences" every 25 steps
   * @throws PeerUnavailableException if QEMU or the cross-compiler is missing, or the stub does not
   *     build
   * @throws PeerLinkException if QEMU stops answering
   */
  public static DiffReport scenario(PeerScenario scenario, Consumer<String> progress)
      throws Exception {
    try (QemuMachine qemu = QemuMachine.start(scenario.devices());
        ModelMachine model = new ModelMachine(scenario.devices())) {
      return new DifferentialRunner(scenario.options(), progress).run(model, qemu, scenario.plan());
    }
  }
}
