package org.smmulab.peer.diff;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.smmulab.driver.smmu.DriverOptions;
import org.smmulab.hw.smmu.SmmuPresets;
import org.smmulab.peer.model.ModelMachine;

/** The runner on two hardware models, so that it is checked where QEMU is not installed too. */
class ModelAgainstModelTest {
  @Test
  void aModelAgreesWithItselfAndTheRunExercisesFaultsAndSuccesses() throws Exception {
    try (ModelMachine a = new ModelMachine(3);
        ModelMachine b = new ModelMachine(3)) {
      DiffReport r =
          new DifferentialRunner(DriverOptions.DEFAULTS, line -> {})
              .run(a, b, OpSequence.random(5, 300, 3, DifferentialRunner.DOMAINS), "seed 5");
      assertThat(r.differences()).isEmpty();
      assertThat(r.agreements()).isEqualTo(300);
      assertThat(r.dmas()).isGreaterThan(100);
      assertThat(r.faultingDmas()).isBetween(10, r.dmas() - 30);
    }
  }

  @Test
  void anSmmuWithoutRangeInvalidationIsCaughtByItsIdRegistersAndItsCommands() throws Exception {
    try (ModelMachine a = new ModelMachine(2);
        ModelMachine b =
            new ModelMachine(
                SmmuPresets.qemuLike().toBuilder().rangeInvalidation(false).build(), 2)) {
      DiffReport r =
          new DifferentialRunner(DriverOptions.DEFAULTS, line -> {})
              .run(a, b, OpSequence.random(5, 200, 2, DifferentialRunner.DOMAINS), "seed 5");
      assertThat(r.agree()).isFalse();
      assertThat(r.differences().get(0).aspect()).isEqualTo("IDR3.RIL");
      assertThat(r.differences())
          .filteredOn(d -> d.step() > 0)
          .isNotEmpty()
          .allSatisfy(d -> assertThat(d.aspect()).isEqualTo("commands"));
    }
  }
}
