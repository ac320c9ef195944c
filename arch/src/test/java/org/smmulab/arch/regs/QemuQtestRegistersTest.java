package org.smmulab.arch.regs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.smmulab.arch.codec.Field;
import org.smmulab.arch.testing.SharedVectors;

/** The register programming of QEMU's SMMUv3 qtest, decoded field by field. */
class QemuQtestRegistersTest {
  private static final Map<String, Long> VALUES = new LinkedHashMap<>();
  private static final Map<String, Integer> OFFSETS = new LinkedHashMap<>();

  @BeforeAll
  static void load() {
    for (JsonNode write : SharedVectors.load("qemu-smmuv3-qtest.json").get("registers_in_order")) {
      String name = write.get(0).asText();
      // Values look like "0x4e16b000 | 0x0a" or "0x5 (linear, LOG2SIZE=5)": OR the hex terms.
      String text = write.get(2).asText().replaceAll("\\(.*\\)", "");
      long value = 0;
      for (String term : text.split("\\|")) {
        value |= SharedVectors.hex(term.trim());
      }
      VALUES.put(name, value); // CR0 is written twice; the last value (enable) is kept.
      OFFSETS.put(name, write.get(1).asInt());
    }
  }

  private static String describe(String name) {
    return RegisterLayouts.describe(canonicalOffset(name), VALUES.get(name));
  }

  private static int canonicalOffset(String name) {
    int offset = OFFSETS.get(name);
    return offset == 0xA8 || offset == 0xAC ? offset + RegisterOffsets.PAGE_1 : offset;
  }

  @Test
  void gbpaUpdateHandshake() {
    RegisterValue gbpa = RegisterValue.of(Gbpa.LAYOUT, VALUES.get("GBPA"));
    assertThat(gbpa.get(Gbpa.UPDATE)).isEqualTo(1);
    assertThat(gbpa.get(Gbpa.ABORT)).isZero();
    assertThat(describe("GBPA")).isEqualTo("GBPA UPDATE=1");
  }

  @Test
  void cr1IsWriteBackInnerShareableForQueuesAndTables() {
    RegisterValue cr1 = RegisterValue.of(Cr1.LAYOUT, VALUES.get("CR1"));
    // Section 1: cacheability 1 = WB, shareability 3 = inner.
    for (var f : new Field[] {Cr1.QUEUE_IC, Cr1.QUEUE_OC, Cr1.TABLE_IC, Cr1.TABLE_OC}) {
      assertThat(cr1.get(f)).as(f.name()).isEqualTo(1);
    }
    assertThat(cr1.get(Cr1.QUEUE_SH)).isEqualTo(3);
    assertThat(cr1.get(Cr1.TABLE_SH)).isEqualTo(3);
    assertThat(describe("CR1"))
        .isEqualTo(
            "CR1 QUEUE_IC=WB QUEUE_OC=WB QUEUE_SH=inner TABLE_IC=WB TABLE_OC=WB TABLE_SH=inner");
  }

  @Test
  void cr1BuiltFromNamedEncodingsEqualsTheQtestValue() {
    long wb = Cr1.CACHEABILITY.valueOf("WB");
    long inner = Cr1.SHAREABILITY.valueOf("inner");
    RegisterValue built =
        RegisterValue.builder(Cr1.LAYOUT)
            .checked()
            .set(Cr1.QUEUE_IC, wb)
            .set(Cr1.QUEUE_OC, wb)
            .set(Cr1.QUEUE_SH, inner)
            .set(Cr1.TABLE_IC, wb)
            .set(Cr1.TABLE_OC, wb)
            .set(Cr1.TABLE_SH, inner)
            .build();
    assertThat(built.value()).isEqualTo(VALUES.get("CR1")).isEqualTo(0x0d75L);
  }

  @Test
  void commandAndEventQueueBases() {
    RegisterValue cmdq = RegisterValue.of(QueueRegisters.CMDQ_BASE_LAYOUT, VALUES.get("CMDQ_BASE"));
    assertThat(cmdq.get(QueueRegisters.ADDR)).isEqualTo(0x4e16b000L);
    assertThat(cmdq.get(QueueRegisters.LOG2SIZE)).isEqualTo(10);
    assertThat(cmdq.get(QueueRegisters.RA)).isZero();
    assertThat(describe("CMDQ_BASE")).isEqualTo("CMDQ_BASE LOG2SIZE=0xa ADDR=0x4e16b000");

    RegisterValue evtq =
        RegisterValue.of(QueueRegisters.EVTQ_BASE_LAYOUT, VALUES.get("EVENTQ_BASE"));
    assertThat(evtq.get(QueueRegisters.ADDR)).isEqualTo(0x4e170000L);
    assertThat(evtq.get(QueueRegisters.LOG2SIZE)).isEqualTo(10);
    assertThat(describe("EVENTQ_BASE")).isEqualTo("EVTQ_BASE LOG2SIZE=0xa ADDR=0x4e170000");
  }

  @Test
  void queuePointersStartAtZero() {
    for (String name : new String[] {"CMDQ_PROD", "CMDQ_CONS", "EVENTQ_PROD", "EVENTQ_CONS"}) {
      assertThat(describe(name)).endsWith("(all zero)");
      QueuePointer p = QueuePointer.of(10, VALUES.get(name).intValue());
      assertThat(p.index()).isZero();
      assertThat(p.wrap()).isFalse();
    }
  }

  @Test
  void linearStreamTableOf32Entries() {
    RegisterValue cfg =
        RegisterValue.of(StreamTableRegisters.CFG_LAYOUT, VALUES.get("STRTAB_BASE_CFG"));
    assertThat(cfg.get(StreamTableRegisters.FMT)).isEqualTo(StreamTableRegisters.FMT_LINEAR);
    assertThat(StreamTableRegisters.FMT.format(cfg.get(StreamTableRegisters.FMT)))
        .isEqualTo("linear");
    assertThat(cfg.get(StreamTableRegisters.LOG2SIZE)).isEqualTo(5);
    assertThat(describe("STRTAB_BASE_CFG")).isEqualTo("STRTAB_BASE_CFG LOG2SIZE=5");

    RegisterValue base =
        RegisterValue.of(StreamTableRegisters.BASE_LAYOUT, VALUES.get("STRTAB_BASE"));
    assertThat(base.get(StreamTableRegisters.ADDR)).isEqualTo(0x4e179000L);
    assertThat(base.get(StreamTableRegisters.RA)).isZero();
  }

  @Test
  void finalCr0EnablesTranslationAndBothQueues() {
    assertThat(describe("CR0")).isEqualTo("CR0 SMMUEN=1 EVTQEN=1 CMDQEN=1");
    RegisterValue cr0 = RegisterValue.of(Cr0.LAYOUT, VALUES.get("CR0"));
    assertThat(cr0.get(Cr0.PRIQEN)).isZero();
    assertThat(cr0.get(Cr0.ATSCHK)).isZero();
  }

  @Test
  void noQtestValueSetsReservedBits() {
    for (String name : VALUES.keySet()) {
      assertThat(describe(name)).as(name).doesNotContain("reserved");
    }
  }
}
