package org.smmulab.driver.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.smmulab.arch.bus.RegisterBus;
import org.smmulab.arch.regs.RegisterOffsets;

class SmmuFeaturesTest {
  /** ID registers only: the probe reads nothing else. */
  private static RegisterBus idRegisters(int idr0, int idr1, int idr3, int idr5) {
    Map<Long, Integer> values = new HashMap<>();
    values.put((long) RegisterOffsets.IDR0, idr0);
    values.put((long) RegisterOffsets.IDR1, idr1);
    values.put((long) RegisterOffsets.IDR3, idr3);
    values.put((long) RegisterOffsets.IDR5, idr5);
    return new RegisterBus() {
      @Override
      public int read32(long offset) {
        return values.getOrDefault(offset, 0);
      }

      @Override
      public void write32(long offset, int value) {}

      @Override
      public long read64(long offset) {
        return Integer.toUnsignedLong(read32(offset)) | (long) read32(offset + 4) << 32;
      }

      @Override
      public void write64(long offset, long value) {}
    };
  }

  // S1P | S2P | TTF=AArch64 | COHACC | ATS | ASID16 | MSI | VMID16 | TTENDIAN=LE | ST_LEVEL=1
  private static final int GOOD_IDR0 =
      0b11 | 2 << 2 | 1 << 4 | 1 << 10 | 1 << 12 | 1 << 13 | 1 << 18 | 2 << 21 | 1 << 27;
  // SIDSIZE 16, SSIDSIZE 8, EVENTQS 10, CMDQS 10
  private static final int GOOD_IDR1 = 16 | 8 << 6 | 10 << 16 | 10 << 21;
  private static final int RIL = 1 << 10;
  // OAS 48 bits, 4K and 64K granules
  private static final int GOOD_IDR5 = 5 | 1 << 4 | 1 << 6;

  @Test
  void aGoodInstanceIsDecoded() throws ProbeException {
    SmmuFeatures f = SmmuFeatures.probe(idRegisters(GOOD_IDR0, GOOD_IDR1, RIL, GOOD_IDR5));
    assertThat(f.stage1()).isTrue();
    assertThat(f.stage2()).isTrue();
    assertThat(f.asidBits()).isEqualTo(16);
    assertThat(f.sidBits()).isEqualTo(16);
    assertThat(f.ssidBits()).isEqualTo(8);
    assertThat(f.cmdqLog2()).isEqualTo(10);
    assertThat(f.oasBits()).isEqualTo(48);
    assertThat(f.rangeInvalidation()).isTrue();
    assertThat(f.msiPolling()).isTrue();
    assertThat(f.twoLevelStreamTable()).isTrue();
    assertThat(f.pageSizes()).isEqualTo(0x1000L | 1L << 21 | 1L << 30 | 0x1_0000L | 1L << 29);
  }

  private static void refused(int idr0, int idr1, int idr5, String message) {
    RegisterBus regs = idRegisters(idr0, idr1, 0, idr5);
    assertThatThrownBy(() -> SmmuFeatures.probe(regs))
        .isInstanceOf(ProbeException.class)
        .hasMessageContaining(message);
  }

  @Test
  void whatLinuxRefusesIsRefused() {
    refused(GOOD_IDR0 & ~0b11, GOOD_IDR1, GOOD_IDR5, "neither stage");
    refused((GOOD_IDR0 & ~(3 << 2)) | 1 << 2, GOOD_IDR1, GOOD_IDR5, "AArch64");
    refused((GOOD_IDR0 & ~(3 << 21)) | 3 << 21, GOOD_IDR1, GOOD_IDR5, "little-endian");
    refused(GOOD_IDR0, GOOD_IDR1 | 1 << 28, GOOD_IDR5, "REL");
    refused(GOOD_IDR0, GOOD_IDR1 | 1 << 29, GOOD_IDR5, "preset");
    refused(GOOD_IDR0, GOOD_IDR1 | 1 << 30, GOOD_IDR5, "preset");
    refused(GOOD_IDR0, (GOOD_IDR1 & ~(0x1F << 21)) | 6 << 21, GOOD_IDR5, "more than 64 entries");
    refused(GOOD_IDR0, GOOD_IDR1, 5, "granule");
    refused(GOOD_IDR0, GOOD_IDR1, GOOD_IDR5 | 7, "reserved");
  }
}
