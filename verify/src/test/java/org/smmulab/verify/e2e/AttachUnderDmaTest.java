package org.smmulab.verify.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicBoolean;
import org.smmulab.arch.pte.Granule;
import org.smmulab.arch.pte.Stage;
import org.smmulab.driver.attach.Master;
import org.smmulab.driver.domain.PagingDomain;
import org.smmulab.driver.pgtable.Prot;
import org.smmulab.driver.queue.QueueListener;
import org.smmulab.hw.pcie.DmaRequest;
import org.smmulab.hw.pcie.DmaResult;
import org.smmulab.hw.pcie.Endpoint;
import org.smmulab.hw.smmu.SmmuPresets;

/**
 * A device keeps issuing DMA while its master is moved between a stage-1 domain, a stage-2 domain
 * and the blocked domain; after every attach returns, a DMA must work. (This caught a config cache
 * that bumped its generation before removing entries: a fetch could read the new generation, still
 * find the STE being removed, and cache a configuration built on it.)
 */
class AttachUnderDmaTest {
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource({
    "STAGE_1, STAGE_2",
    "STAGE_2, STAGE_2",
    "STAGE_1, STAGE_1"
  })
  void afterAttachReturnsDmaWorksEvenIfDmaRacedTheAttach(Stage first, Stage second)
      throws Exception {
    org.smmulab.hw.smmu.SmmuConfig preset = SmmuPresets.mmu700Like();
    var k = preset.model();
    org.smmulab.hw.smmu.SmmuConfig small =
        preset.toBuilder()
            .model(
                new org.smmulab.hw.smmu.SmmuConfig.ModelKnobs(
                    k.tlbEntries(),
                    k.replacement(),
                    k.seed(),
                    k.walkCache(),
                    k.walkCacheEntries(),
                    2,
                    k.speculativeFill(),
                    k.strictTtl(),
                    k.strictReservedEncodings(),
                    k.asyncCommands()))
            .build();
    try (Machine m = new Machine(QueueListener.NONE, small)) {
      Endpoint ep = Endpoint.withoutAts("dev", m.memory, m.smmus.get(0), 0x11);
      Master master = m.driver.addMaster("dev", m.devices.get(0).id(), new int[] {0x11}, null, 0);
      PagingDomain a = m.driver.newPagingDomain("a", first, Granule.SIZE_4K, 48, 48);
      PagingDomain b = m.driver.newPagingDomain("b", second, Granule.SIZE_4K, 48, 48);
      a.map(0x1000, 0x8000_0000L, 0x1000, Prot.READ);
      b.map(0x1000, 0x9000_0000L, 0x1000, Prot.READ);
      AtomicBoolean stop = new AtomicBoolean();
      Thread hammer =
          new Thread(
              () -> {
                while (!stop.get()) {
                  ep.dma(DmaRequest.read(0x11, 0x1000, 8));
                }
              });
      hammer.start();
      int failures = 0;
      String firstReason = null;
      try {
        for (int i = 0; i < 300; i++) {
          if (i % 3 == 2) {
            m.driver.detach(master);
            continue;
          }
          m.driver.attach(master, i % 3 == 0 ? a : b);
          DmaResult r = ep.dma(DmaRequest.read(0x11, 0x1000, 8));
          long expected = i % 3 == 0 ? 0x8000_0000L : 0x9000_0000L;
          if (!r.completed() || r.segments().get(0).pa() != expected) {
            failures++;
            firstReason =
                firstReason != null
                    ? firstReason
                    : i + ": " + (r.completed() ? r.segments().get(0) : r.faultReason());
          }
        }
      } finally {
        stop.set(true);
        hammer.join();
      }
      assertThat(failures).as("first: %s", firstReason).isZero();
    }
  }
}
