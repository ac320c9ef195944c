package org.smmulab.verify.stress;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.smmulab.driver.inject.Injection;
import org.smmulab.verify.oracle.ViolationClass;

/**
 * Short, fixed-seed stress runs: the correct driver produces no violation, and every injected bug
 * is caught through a DMA outcome.
 */
class StressRunnerTest {
  private static StressConfig run(double seconds, Set<Injection> injections) {
    return new StressConfig(seconds, 0, 7, 2, 2, 8, 4, "mmu-700-like", injections);
  }

  @Test
  void theCorrectDriverProducesNoViolation() throws Exception {
    StressResult r = new StressRunner(run(4, Set.of()), line -> {}).run();
    assertThat(r.violations()).as("%s", r.violations()).isEmpty();
    assertThat(r.violationCount()).isZero();
    assertThat(r.dmasChecked()).isGreaterThan(100_000);
    assertThat(r.operations()).isGreaterThan(300);
    assertThat(r.tlbHitRatio()).isBetween(0.05, 0.99);
  }

  @ParameterizedTest
  @EnumSource(Injection.class)
  void everyInjectedBugIsCaughtThroughADma(Injection injection) throws Exception {
    StressResult r =
        new StressRunner(run(15, Set.of(injection)), line -> {}).stopAtFirstViolation().run();
    assertThat(r.violationCount()).as("%s caught", injection.label()).isPositive();
    assertThat(r.violations().get(0).kind()).isNotEqualTo(ViolationClass.INVARIANT);
    assertThat(r.injected()).isEqualTo(injection.label());
    assertThat(r.operationLog()).isNotEmpty();
  }
}
