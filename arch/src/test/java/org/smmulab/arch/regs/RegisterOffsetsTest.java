package org.smmulab.arch.regs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.smmulab.arch.testing.SharedVectors;

class RegisterOffsetsTest {
  @Test
  void offsetsMatchTheRegisterMap() {
    // Offsets as listed in the register map of the hardware model notes (section 1).
    Map<String, Integer> expected =
        Map.ofEntries(
            Map.entry("IDR0", 0x0),
            Map.entry("IDR1", 0x4),
            Map.entry("IDR2", 0x8),
            Map.entry("IDR3", 0xC),
            Map.entry("IDR4", 0x10),
            Map.entry("IDR5", 0x14),
            Map.entry("IIDR", 0x18),
            Map.entry("AIDR", 0x1C),
            Map.entry("CR0", 0x20),
            Map.entry("CR0ACK", 0x24),
            Map.entry("CR1", 0x28),
            Map.entry("CR2", 0x2C),
            Map.entry("STATUSR", 0x40),
            Map.entry("GBPA", 0x44),
            Map.entry("IRQ_CTRL", 0x50),
            Map.entry("IRQ_CTRLACK", 0x54),
            Map.entry("GERROR", 0x60),
            Map.entry("GERRORN", 0x64),
            Map.entry("GERROR_IRQ_CFG0", 0x68),
            Map.entry("GERROR_IRQ_CFG1", 0x70),
            Map.entry("GERROR_IRQ_CFG2", 0x74),
            Map.entry("STRTAB_BASE", 0x80),
            Map.entry("STRTAB_BASE_CFG", 0x88),
            Map.entry("CMDQ_BASE", 0x90),
            Map.entry("CMDQ_PROD", 0x98),
            Map.entry("CMDQ_CONS", 0x9C),
            Map.entry("EVTQ_BASE", 0xA0),
            Map.entry("EVTQ_PROD", 0x100A8),
            Map.entry("EVTQ_CONS", 0x100AC),
            Map.entry("EVTQ_IRQ_CFG0", 0xB0),
            Map.entry("EVTQ_IRQ_CFG1", 0xB8),
            Map.entry("EVTQ_IRQ_CFG2", 0xBC),
            Map.entry("PRIQ_BASE", 0xC0),
            Map.entry("PRIQ_PROD", 0x100C8),
            Map.entry("PRIQ_CONS", 0x100CC),
            Map.entry("PRIQ_IRQ_CFG0", 0xD0),
            Map.entry("PRIQ_IRQ_CFG1", 0xD8),
            Map.entry("PRIQ_IRQ_CFG2", 0xDC));
    Map<Integer, String> names = RegisterOffsets.names();
    expected.forEach(
        (name, offset) -> {
          assertThat(names.get(offset)).as("name at 0x%x", offset).isEqualTo(name);
          assertThat(RegisterOffsets.nameOf(offset)).isEqualTo(name);
        });
    assertThat(RegisterOffsets.EVTQ_PROD).isEqualTo(0x100A8);
    assertThat(RegisterOffsets.PRIQ_CONS).isEqualTo(0x100CC);
    assertThat(RegisterOffsets.CMDQ_CONS).isEqualTo(0x9C);
    assertThat(RegisterOffsets.PAGE_1).isEqualTo(0x10000);
    assertThat(RegisterOffsets.MMIO_SIZE).isEqualTo(128 * 1024);
  }

  @Test
  void upperHalvesOfSixtyFourBitRegistersAreNamed() {
    assertThat(RegisterOffsets.nameOf(0x94)).isEqualTo("CMDQ_BASE.hi");
    assertThat(RegisterOffsets.nameOf(0x84)).isEqualTo("STRTAB_BASE.hi");
    assertThat(RegisterOffsets.nameOf(0x6C)).isEqualTo("GERROR_IRQ_CFG0.hi");
    for (int wide : new int[] {0x68, 0x80, 0x90, 0xA0, 0xB0, 0xC0, 0xD0}) {
      assertThat(RegisterOffsets.is64Bit(wide)).as("0x%x", wide).isTrue();
    }
    assertThat(RegisterOffsets.is64Bit(RegisterOffsets.CR0)).isFalse();
    assertThat(RegisterOffsets.is64Bit(0x94)).isFalse();
    assertThat(RegisterOffsets.is64Bit(-8)).isFalse();
  }

  @Test
  void pageZeroAliasesOfPageOneRegistersAreMarked() {
    assertThat(RegisterOffsets.nameOf(0xA8)).isEqualTo("EVTQ_PROD@page0");
    assertThat(RegisterOffsets.nameOf(0xAC)).isEqualTo("EVTQ_CONS@page0");
    assertThat(RegisterOffsets.nameOf(0xC8)).isEqualTo("PRIQ_PROD@page0");
    assertThat(RegisterOffsets.nameOf(0xCC)).isEqualTo("PRIQ_CONS@page0");
  }

  @Test
  void idRegistersAndHolesAreNamed() {
    assertThat(RegisterOffsets.nameOf(0xFD0)).isEqualTo("PIDR4");
    assertThat(RegisterOffsets.nameOf(0xFE0)).isEqualTo("PIDR0");
    assertThat(RegisterOffsets.nameOf(0xFFC)).isEqualTo("CIDR3");
    assertThat(RegisterOffsets.nameOf(0x30)).isEqualTo("0x00030");
    assertThat(RegisterOffsets.nameOf(0x20000)).isEqualTo("0x20000");
    assertThat(RegisterOffsets.nameOf(0x10020)).isEqualTo("0x10020");
  }

  @Property(seed = "20240611")
  void nameOfNeverThrows(@ForAll long offset) {
    assertThat(RegisterOffsets.nameOf(offset)).isNotEmpty();
  }

  @Test
  void qemuQtestRegisterOffsetsCarryTheirNames() {
    // QEMU aliases page 1 onto page 0, so its test programs the event queue pointers at 0xA8/0xAC.
    JsonNode writes = SharedVectors.load("qemu-smmuv3-qtest.json").get("registers_in_order");
    assertThat(writes.size()).isEqualTo(12);
    for (JsonNode write : writes) {
      String qemuName = write.get(0).asText();
      int offset = write.get(1).asInt();
      String expected = qemuName.replace("EVENTQ", "EVTQ");
      if (offset == 0xA8 || offset == 0xAC) {
        expected += "@page0";
      }
      assertThat(RegisterOffsets.nameOf(offset)).as(qemuName).isEqualTo(expected);
    }
  }
}
