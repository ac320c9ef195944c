package org.smmulab.peer.diff;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.smmulab.arch.event.EventRecord;
import org.smmulab.arch.event.EventType;

class FaultRunTest {
  static EventRecord translation(int sid, long iova, boolean read) {
    return EventRecord.builder(EventType.F_TRANSLATION)
        .set(org.smmulab.arch.event.EventFields.SID, sid)
        .set(org.smmulab.arch.event.EventFields.RNW, read)
        .set(org.smmulab.arch.event.EventFields.INPUT_ADDR, iova)
        .build();
  }

  @Test
  void recordsRisingByAtMostFourBytesWithinAPageAreOneRun() {
    List<FaultRun> runs =
        FaultRun.collapse(
            List.of(
                translation(0x10, 0x100ffe, false),
                translation(0x10, 0x101000, false),
                translation(0x10, 0x101004, false),
                translation(0x10, 0x101010, false),
                translation(0x18, 0x101014, false),
                translation(0x18, 0x101018, true)));
    assertThat(runs)
        .extracting(FaultRun::streamId, FaultRun::first, FaultRun::last, FaultRun::count)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(0x10, 0x100ffeL, 0x100ffeL, 1),
            org.assertj.core.groups.Tuple.tuple(0x10, 0x101000L, 0x101004L, 2),
            org.assertj.core.groups.Tuple.tuple(0x10, 0x101010L, 0x101010L, 1),
            org.assertj.core.groups.Tuple.tuple(0x18, 0x101014L, 0x101014L, 1),
            org.assertj.core.groups.Tuple.tuple(0x18, 0x101018L, 0x101018L, 1));
    assertThat(runs.get(1).toString())
        .contains("F_TRANSLATION SID 0x10 write 0x101000 (+1 records");
  }

  @Test
  void configurationEventsWithoutAddressStaySeparateRuns() {
    EventRecord bad = EventRecord.configError(EventType.C_BAD_STE, 0x10, OptionalInt.empty());
    assertThat(FaultRun.collapse(List.of(bad, bad))).hasSize(2);
  }
}
