package org.smmulab.hw.smmu.walk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.smmulab.arch.bus.BusAbort;
import org.smmulab.arch.cd.Cd;
import org.smmulab.arch.ste.Ste;
import org.smmulab.arch.ste.StreamConfig;
import org.smmulab.arch.testing.SharedVectors;
import org.smmulab.hw.memory.PhysicalMemory;
import org.smmulab.hw.smmu.config.ResolvedStream;
import org.smmulab.hw.smmu.tlb.CacheTag;
import org.smmulab.hw.smmu.tlb.TranslationCaches;
import org.smmulab.hw.smmu.txn.Transaction;
import org.smmulab.hw.smmu.txn.TranslationFault;

/**
 * QEMU's SMMUv3 qtest end to end: the STE and CD images and the final memory image of each mode
 * (stage 1 only, stage 2 only, nested), and the device's write to IOVA 0x8080604567, which must
 * land at PA 0x4ecba567.
 */
class QemuVectorWalkTest {
  private static final JsonNode VECTORS = SharedVectors.load("qemu-smmuv3-qtest.json");
  private static final long IOVA = 0x8080604567L;
  private static final long EXPECTED_PA = 0x4ecba567L;
  private static final int SID = 8;

  @ParameterizedTest
  @ValueSource(strings = {"S1_ONLY", "S2_ONLY", "NESTED"})
  void deviceWriteReachesTheExpectedPage(String mode) throws BusAbort, TranslationFault {
    JsonNode vector = VECTORS.get("modes").get(mode);
    assertThat(SharedVectors.hex(VECTORS.get("dma").get("iova"))).isEqualTo(IOVA);
    assertThat(SharedVectors.hex(vector.get("expected_pa"))).isEqualTo(EXPECTED_PA);

    PhysicalMemory memory = new PhysicalMemory(48);
    for (Iterator<Map.Entry<String, JsonNode>> it = vector.get("final_memory").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> word = it.next();
      memory.write64(SharedVectors.hex(word.getKey()), SharedVectors.hex(word.getValue()));
    }
    Ste ste = Ste.decode(SharedVectors.qwords(vector.get("ste_qwords")));
    JsonNode cdQwords = vector.get("cd_qwords");
    Cd cd =
        cdQwords == null || cdQwords.isNull() ? null : Cd.decode(SharedVectors.qwords(cdQwords));
    StreamConfig config = ste.config();
    ResolvedStream stream =
        new ResolvedStream(
            ResolvedStream.Mode.TRANSLATE,
            ste,
            config.s1Translates() ? cd : null,
            config.s1Translates(),
            config.s2Translates(),
            CacheTag.World.NS_EL1,
            ste.s2Vmid(),
            cd == null ? 0 : cd.asid());

    WalkResult result =
        new TableWalker(memory, TranslationCaches.NONE, 48)
            .walk(stream, Transaction.write(SID, IOVA));

    assertThat(result.outputAddress()).isEqualTo(EXPECTED_PA);
    assertThat(result.entry().covers(IOVA)).isTrue();
    assertThat(result.entry().translate(IOVA)).isEqualTo(EXPECTED_PA);
    assertThat(result.entry().sizeShift()).isEqualTo(12);
    assertThat(result.entry().tag().kind()).isEqualTo(stream.kind());
  }
}
