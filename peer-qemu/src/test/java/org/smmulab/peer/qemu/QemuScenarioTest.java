package org.smmulab.peer.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.smmulab.peer.diff.DiffReport;
import org.smmulab.peer.diff.Difference;
import org.smmulab.peer.diff.DifferentialRunner;
import org.smmulab.peer.model.ModelMachine;
import org.smmulab.peer.scenario.PeerExamples;
import org.smmulab.peer.scenario.PeerScenario;
import org.smmulab.peer.scenario.ScenarioAdapter;
import org.smmulab.verify.scenario.ScenarioLoader;

/**
 * The example scenario for the peer ({@code examples/06-qemu-peer.yaml}) on the hardware model and
 * on QEMU: no unexplained difference.
 */
class QemuScenarioTest {
  @Test
  void theQemuPeerExampleAgrees() throws Exception {
    PeerScenario s = ScenarioAdapter.adapt(ScenarioLoader.load(PeerExamples.qemuPeer()));
    try (QemuMachine qemu = QemuPeers.startOrSkip(s.devices());
        ModelMachine model = new ModelMachine(s.devices())) {
      DiffReport r = new DifferentialRunner(s.options(), line -> {}).run(model, qemu, s.plan());
      String unexplained =
          r.differences().stream()
              .filter(Difference::fails)
              .map(Difference::describe)
              .collect(Collectors.joining("\n"));
      assertThat(r.unexplained()).as(unexplained).isZero();
      assertThat(r.steps()).isEqualTo(27);
      assertThat(r.dmas()).isEqualTo(14);
      assertThat(r.faultingDmas()).isEqualTo(5);
      assertThat(r.differences())
          .extracting(Difference::label)
          .allMatch(l -> l.equals("qemu-retries-failed-dma") || l.equals("model-has-no-had-knob"));
      assertThat(r.differences())
          .filteredOn(d -> d.step() > 0)
          .extracting(Difference::operation)
          .allMatch(op -> op.contains(PeerExamples.FILE + ":"));
    }
  }
}
