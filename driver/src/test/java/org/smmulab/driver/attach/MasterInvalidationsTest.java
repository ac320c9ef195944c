package org.smmulab.driver.attach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.smmulab.arch.cmd.Opcode;
import org.smmulab.driver.invs.Invalidation;
import org.smmulab.driver.invs.InvalidationArray;
import org.smmulab.driver.invs.InvalidationType;
import org.smmulab.driver.invs.SmmuId;
import org.smmulab.driver.tags.CacheTag;

class MasterInvalidationsTest {
  private static final SmmuId SMMU = new SmmuId(2);

  @Test
  void tagFirstThenOneAtsEntryPerStreamIdAscending() {
    Master m = new Master("gpu", SMMU, new int[] {0x31, 0x10, 0x20}, true, 8, false);
    CacheTag tag = new CacheTag(SMMU, InvalidationType.S1_ASID, 7, 0);

    InvalidationArray list = MasterInvalidations.build(m, tag, true, 5, 12, false);

    assertThat(list.numInvs()).isEqualTo(4);
    Invalidation first = list.entry(0);
    assertThat(first.type()).isEqualTo(InvalidationType.S1_ASID);
    assertThat(first.id()).isEqualTo(7);
    assertThat(first.pgsizeShift()).isEqualTo(12);
    assertThat(first.sizeOpcode()).isEqualTo(Opcode.TLBI_NH_VA);
    for (int i = 1; i < 4; i++) {
      assertThat(list.entry(i).type()).isEqualTo(InvalidationType.ATS);
      assertThat(list.entry(i).ssid()).isEqualTo(5);
    }
    assertThat(new int[] {list.entry(1).id(), list.entry(2).id(), list.entry(3).id()})
        .containsExactly(0x10, 0x20, 0x31);
    assertThat(list.hasAts()).isTrue();
  }

  @Test
  void withoutAtsOnlyTheTag() {
    Master m = Master.simple("nic", SMMU, 4);
    InvalidationArray list =
        MasterInvalidations.build(
            m, new CacheTag(SMMU, InvalidationType.S2_VMID, 3, 1), false, 0, 0, false);
    assertThat(list.numInvs()).isEqualTo(1);
    assertThat(list.entry(0).nsizeOpcode()).isEqualTo(Opcode.TLBI_S12_VMALL);
    assertThat(list.hasAts()).isFalse();
  }

  @Test
  void e2hSelectsTheEl2Opcodes() {
    InvalidationArray list =
        MasterInvalidations.build(
            Master.simple("nic", SMMU, 4),
            new CacheTag(SMMU, InvalidationType.S1_ASID, 3, 1),
            false,
            0,
            0,
            true);
    assertThat(list.entry(0).nsizeOpcode()).isEqualTo(Opcode.TLBI_EL2_ASID);
  }

  @Test
  void mastersRefuseBadStreamIdLists() {
    assertThatThrownBy(() -> new Master("x", SMMU, new int[0], false, 0, false))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Master("x", SMMU, new int[] {1, 1}, false, 0, false))
        .hasMessageContaining("twice");
    assertThatThrownBy(() -> new Master("x", SMMU, new int[] {1}, false, 21, false))
        .hasMessageContaining("SubstreamID");
  }
}
