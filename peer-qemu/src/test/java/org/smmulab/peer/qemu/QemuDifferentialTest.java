package org.smmulab.peer.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.smmulab.driver.smmu.DriverOptions;
import org.smmulab.peer.diff.DiffReport;
import org.smmulab.peer.diff.Difference;
import org.smmulab.peer.diff.DifferentialRunner;
import org.smmulab.peer.diff.OpSequence;
import org.smmulab.peer.model.ModelMachine;

/** A 200-step seeded sequence on the hardware model and on QEMU: no unexplained difference. */
class QemuDifferentialTest {
  private static final int DEVICES = 3;

  @Test
  void twoHundredSeededStepsAgree() throws Exception {
    try (QemuMachine qemu = QemuPeers.startOrSkip(DEVICES);
        ModelMachine model = new ModelMachine(DEVICES)) {
      DiffReport r =
          new DifferentialRunner(DriverOptions.DEFAULTS, line -> {})
              .run(
                  model,
                  qemu,
                  OpSequence.random(1, 200, DEVICES, DifferentialRunner.DOMAINS),
                  "seed 1, 200 operations");
      String unexplained =
          r.differences().stream()
              .filter(Difference::fails)
              .map(Difference::describe)
              .collect(Collectors.joining("\n"));
      assertThat(r.unexplained()).as(unexplained).isZero();
      assertThat(r.steps()).isEqualTo(200);
      assertThat(r.dmas()).isGreaterThan(80);
      assertThat(r.faultingDmas()).as("faults are exercised").isGreaterThan(15);
      assertThat(r.dmas() - r.faultingDmas()).as("so are successes").isGreaterThan(30);
      assertThat(r.differences())
          .extracting(Difference::label)
          .allMatch(l -> l.equals("qemu-retries-failed-dma") || l.equals("model-has-no-had-knob"));
    }
  }
}
