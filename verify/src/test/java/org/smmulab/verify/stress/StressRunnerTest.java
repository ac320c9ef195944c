package org.smmulab.verify.stress;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.smmulab.driver.inject.Injection;
import org.smmulab.hw.smmu.SmmuConfig;
import org.smmulab.verify.oracle.ViolationClass;

/**
 * Short, fixed-seed stress runs: the correct driver produces no violation, the operation log is
 * reproducible, and every injected bug is caught through a DMA outcome.
 */
class StressRunnerTest {
  private static SmmuConfig synchronous(SmmuConfig c) {
    return c.toBuilder().model(c.model().toBuilder().asyncCommands(false).build()).build();
  }

  @Test
  void theCorrectDriverProducesNoViolation() throws Exception {
    StressConfig config = new StressConfig(0, 400, 7, 2, 2, 8, 4, "mmu-700-like", Set.of());
    StressResult r = new StressRunner(config, line -> {}).run();
    assertThat(r.violations()).as("%s", r.violations()).isEmpty();
    assertThat(r.violationCount()).isZero();
    assertThat(r.firstViolation()).isNull();
    assertThat(r.firstDmaViolation()).isNull();
    assertThat(r.dmasChecked()).isGreaterThan(10_000);
    assertThat(r.operations()).isEqualTo(400);
    assertThat(r.tlbHitRatio()).isBetween(0.05, 0.99);
  }

  @Test
  void theSameSeedWithOneDmaThreadAndSynchronousConsumptionGivesTheSameOperationLog()
      throws Exception {
    StressConfig config = new StressConfig(0, 300, 11, 1, 2, 8, 4, "mmu-700-like", Set.of());
    StressResult first =
        new StressRunner(config, line -> {}).adjustHardware(StressRunnerTest::synchronous).run();
    StressResult second =
        new StressRunner(config, line -> {}).adjustHardware(StressRunnerTest::synchronous).run();
    StressResult otherSeed =
        new StressRunner(
                new StressConfig(0, 300, 12, 1, 2, 8, 4, "mmu-700-like", Set.of()), line -> {})
            .adjustHardware(StressRunnerTest::synchronous)
            .run();
    assertThat(first.violationCount()).isZero();
    assertThat(first.operationLog()).hasSizeGreaterThan(250);
    assertThat(second.operationLog()).isEqualTo(first.operationLog());
    assertThat(otherSeed.operationLog()).isNotEqualTo(first.operationLog());
  }

  /**
   * Every injection, with one fixed seed, is caught through what the hardware did (a DMA outcome of
   * a fitting class) well within the 20 seconds the issue allows; the run stops at the first such
   * violation.
   */
  @ParameterizedTest
  @EnumSource(Injection.class)
  void everyInjectedBugIsCaughtThroughADma(Injection injection) throws Exception {
    StressConfig config = new StressConfig(20, 0, 7, 2, 2, 8, 4, "mmu-700-like", Set.of(injection));
    StressResult r = new StressRunner(config, line -> {}).stopAtFirstViolation().run();

    assertThat(r.firstDmaViolation()).as("%s caught through a DMA", injection.label()).isNotNull();
    assertThat(r.firstDmaViolation().kind()).isIn(fitting(injection));
    assertThat(r.violations())
        .anyMatch(v -> v.kind() != ViolationClass.INVARIANT && v.device() != null);
    assertThat(r.injected()).isEqualTo(injection.label());
    assertThat(r.operationLog()).isNotEmpty();
  }

  /**
   * The classes through which an injected bug can show. A leaf entry that outlived its invalidation
   * (ATC) serves a stale translation, or another domain's once the id or page is reused, possibly
   * with the wrong permission. A table entry of the walk cache that outlived its table (or its tag)
   * can also lead a walk into the wrong table and fault what had to work, and so can a
   * configuration read stale or torn.
   */
  private static Set<ViolationClass> fitting(Injection injection) {
    Set<ViolationClass> leaf =
        Set.of(
            ViolationClass.STALE_TRANSLATION,
            ViolationClass.ISOLATION_BREACH,
            ViolationClass.PERMISSION_BREACH);
    return injection == Injection.SKIP_ATC_INV
        ? leaf
        : Set.of(
            ViolationClass.STALE_TRANSLATION,
            ViolationClass.ISOLATION_BREACH,
            ViolationClass.PERMISSION_BREACH,
            ViolationClass.LOST_ACCESS);
  }
}
