package org.smmulab.peer.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.smmulab.arch.bus.BusAbort;
import org.smmulab.peer.ScanResult;

class StubLinkTest {
  private static String okFor(String line) {
    if (line.startsWith("rb ")) {
      int n = Integer.parseInt(line.split(" ")[2], 16);
      StringBuilder hex = new StringBuilder("ok ");
      for (int i = 0; i < n; i++) {
        hex.append(String.format("%02x", i));
      }
      return hex.toString();
    }
    if (line.startsWith("r4 ") || line.startsWith("r8 ")) {
      return "ok 2a";
    }
    if (line.startsWith("scan ")) {
      return "ok 40 10 4f";
    }
    return "ok";
  }

  @Test
  void combinedWritesReachTheGuestBeforeTheNextRequestInOrder() throws Exception {
    ScriptedChannel ch = new ScriptedChannel(StubLinkTest::okFor);
    StubLink link = new StubLink(ch, 100);
    link.postWrite64(0x4020_0000L, 0);
    link.postWrite64(0x4020_0008L, 0);
    link.postWrite64(0x4020_0010L, 0);
    link.postWrite64(0x4020_0018L, 0);
    link.postWrite64(0x4030_0000L, 7);
    assertThat(ch.sent).containsExactly("fill 40200000 20 0");
    assertThat(link.read32(0x0905_0000L)).isEqualTo(0x2a);
    assertThat(ch.sent).containsExactly("fill 40200000 20 0", "w8 40300000 7", "r4 9050000");
  }

  @Test
  void ramReadsAreServedFromOneBlockUntilAnyOtherRequest() throws Exception {
    ScriptedChannel ch = new ScriptedChannel(StubLinkTest::okFor);
    StubLink link = new StubLink(ch, 100);
    long end = 0x6000_0000L;
    assertThat(link.readRam(0x4800_0008L, 8, end)).isEqualTo(0x0f0e0d0c0b0a0908L);
    assertThat(link.readRam(0x4800_0010L, 4, end)).isEqualTo(0x13121110L);
    assertThat(ch.sent).containsExactly("rb 48000000 80");
    link.write32(0x0905_0098L, 1);
    link.readRam(0x4800_0010L, 4, end);
    assertThat(ch.sent).containsExactly("rb 48000000 80", "w4 9050098 1", "rb 48000000 80");
    link.postWrite64(0x4800_0000L, 1);
    link.readRam(0x4800_0010L, 4, end);
    assertThat(ch.sent).endsWith("w8 48000000 1", "rb 48000000 80");
  }

  @Test
  void aBlockNeverReachesPastTheEndOfRam() throws Exception {
    ScriptedChannel ch = new ScriptedChannel(StubLinkTest::okFor);
    StubLink link = new StubLink(ch, 100);
    link.readRam(0x4000_0ff8L, 8, 0x4000_1000L);
    assertThat(ch.sent).containsExactly("rb 40000f80 80");
    StubLink other = new StubLink(ch, 100);
    other.readRam(0x4000_0fc0L, 8, 0x4000_0fd0L);
    assertThat(ch.sent).endsWith("rb 40000f80 50");
  }

  @Test
  void errorRepliesAreStubErrorsAndAbortsBecomeBusAborts() {
    ScriptedChannel ch =
        new ScriptedChannel(
            line -> line.startsWith("r8 80") ? "err abort esr=96000010 far=80000000" : "err align");
    StubLink link = new StubLink(ch, 100);
    assertThatThrownBy(() -> link.read64(0x8000_0000L))
        .isInstanceOfSatisfying(StubError.class, e -> assertThat(e.isAbort()).isTrue())
        .hasMessageContaining("esr=96000010");
    assertThatThrownBy(() -> link.read32(0x4000_0002L))
        .isInstanceOfSatisfying(StubError.class, e -> assertThat(e.isAbort()).isFalse());
    GuestRam ram = new GuestRam(link, 0x4000_0000L, 0x2000_0000L);
    assertThatThrownBy(() -> ram.read64(0x3000_0000L))
        .isInstanceOf(BusAbort.class)
        .hasMessageContaining("outside guest RAM");
    assertThatThrownBy(() -> ram.read64(0x4000_0004L))
        .isInstanceOf(BusAbort.class)
        .hasMessageContaining("misaligned");
    assertThat(ch.sent).hasSize(2);
  }

  @Test
  void garbageAndSilenceBreakTheLink() {
    StubLink garbage = new StubLink(new ScriptedChannel(line -> "EDU: clamping DMA"), 100);
    assertThatThrownBy(() -> garbage.read32(0x4000_0000L))
        .isInstanceOf(PeerLinkException.class)
        .hasMessageContaining("unexpected reply");
    StubLink silent = new StubLink(new ScriptedChannel(line -> null), 100);
    assertThatThrownBy(() -> silent.read32(0x4000_0000L))
        .isInstanceOf(PeerLinkException.class)
        .hasMessageContaining("no reply");
    StubLink failedFlush = new StubLink(new ScriptedChannel(line -> "err abort esr=0"), 100);
    failedFlush.postWrite64(0x4000_0000L, 1);
    assertThatThrownBy(failedFlush::flush)
        .isInstanceOf(PeerLinkException.class)
        .hasMessageContaining("combined RAM write failed");
  }

  @Test
  void scanAndPollRepliesAreParsed() throws Exception {
    ScriptedChannel ch =
        new ScriptedChannel(line -> line.startsWith("poll4") ? "err timeout 1" : okFor(line));
    StubLink link = new StubLink(ch, 100);
    assertThat(link.scan(0x4801_0000L, 0x1000, (byte) 0xff))
        .isEqualTo(new ScanResult(0x40, 0x10, 0x4f));
    assertThatThrownBy(() -> link.poll32(0x1000_0098L, 1, 0, 10))
        .isInstanceOf(StubError.class)
        .hasMessageContaining("err timeout 1");
    assertThat(ch.sent).containsExactly("scan 48010000 1000 ff", "poll4 10000098 1 0 a");
  }
}
