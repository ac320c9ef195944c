package org.smmulab.peer.diff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.smmulab.peer.diff.FaultRunTest.translation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.smmulab.arch.cmd.Command;
import org.smmulab.arch.event.EventRecord;
import org.smmulab.peer.ScanResult;

class StepComparisonTest {
  private static final PeerOp.Dma WRITE = new PeerOp.Dma(0, true, 0x100010, 0, 16);
  private static final DmaObservation NOTHING = seeded(ScanResult.CLEAN, 42);

  private static DmaObservation seeded(ScanResult pages, long digest) {
    return new DmaObservation(
        Map.of(SeededRegion.PAGES, pages, SeededRegion.BLOCK, ScanResult.CLEAN), digest);
  }

  private static StepOutcome outcome(List<EventRecord> events, DmaObservation dma) {
    return new StepOutcome("ok", List.of(), List.of(), dma, events, 0, false);
  }

  @Test
  void identicalOutcomesAgree() {
    StepOutcome o = outcome(List.of(translation(0x10, 0x100010, false)), NOTHING);
    assertThat(StepComparison.compare(1, WRITE, o, o)).isEmpty();
  }

  @Test
  void qemusPerWordRetriesInsideTheCopyAreExplained() {
    List<EventRecord> retries = new ArrayList<>();
    for (long a = 0x100010; a < 0x100020; a += 4) {
      retries.add(translation(0x10, a, false));
    }
    List<Difference> d =
        StepComparison.compare(
            1,
            WRITE,
            outcome(List.of(translation(0x10, 0x100010, false)), NOTHING),
            outcome(retries, NOTHING));
    assertThat(d)
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.verdict()).isEqualTo(Verdict.EXPLAINED);
              assertThat(x.label()).isEqualTo("qemu-retries-failed-dma");
            });
  }

  @Test
  void retriesBeyondTheCopyOrADifferentFirstFaultAreUnexplained() {
    List<EventRecord> tooFar = new ArrayList<>();
    for (long a = 0x100010; a <= 0x100020; a += 4) {
      tooFar.add(translation(0x10, a, false));
    }
    StepOutcome model = outcome(List.of(translation(0x10, 0x100010, false)), NOTHING);
    assertThat(StepComparison.compare(1, WRITE, model, outcome(tooFar, NOTHING)))
        .singleElement()
        .satisfies(x -> assertThat(x.fails()).isTrue());
    assertThat(
            StepComparison.compare(
                1, WRITE, model, outcome(List.of(translation(0x18, 0x100010, false)), NOTHING)))
        .singleElement()
        .satisfies(x -> assertThat(x.aspect()).isEqualTo("faults"));
    assertThat(StepComparison.compare(1, WRITE, model, outcome(List.of(), NOTHING)))
        .singleElement()
        .satisfies(x -> assertThat(x.fails()).isTrue());
  }

  @Test
  void differentMemoryCommandsOrResultsAreUnexplained() {
    StepOutcome model =
        new StepOutcome("ok", List.of(Command.cfgiAll()), List.of(), NOTHING, List.of(), 0, false);
    StepOutcome qemu =
        new StepOutcome(
            "already mapped",
            List.of(Command.tlbiNsnhAll()),
            List.of(),
            seeded(new ScanResult(16, 0x10, 0x1f), 43),
            List.of(),
            0,
            false);
    assertThat(StepComparison.compare(3, WRITE, model, qemu))
        .extracting(Difference::aspect)
        .containsExactly("result", "commands", "memory");
    assertThat(StepComparison.compare(3, WRITE, model, qemu)).allMatch(Difference::fails);
    assertThat(StepComparison.compare(3, "map d at f.yaml:4:5", WRITE, model, qemu))
        .extracting(Difference::operation)
        .containsOnly("map d at f.yaml:4:5");
  }

  @Test
  void evtqAbortInsteadOfOverflowIsTheKnownDeviation() {
    StepOutcome model = new StepOutcome("ok", List.of(), List.of(), NOTHING, List.of(), 0, true);
    StepOutcome qemu = new StepOutcome("ok", List.of(), List.of(), NOTHING, List.of(), 4, false);
    assertThat(StepComparison.compare(1, WRITE, model, qemu))
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.verdict()).isEqualTo(Verdict.KNOWN_QEMU_DEVIATION);
              assertThat(x.label()).isEqualTo("section 8 item 4");
            });
  }
}
