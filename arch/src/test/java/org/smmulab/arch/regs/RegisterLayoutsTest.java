package org.smmulab.arch.regs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.smmulab.arch.codec.Field;
import org.smmulab.arch.codec.Layout;
import org.smmulab.arch.codec.QwordImage;

class RegisterLayoutsTest {
  /** Layouts of every register, including those not reachable through an offset of their own. */
  private static List<Layout> allLayouts() {
    List<Layout> out = new ArrayList<>(RegisterLayouts.all().values());
    assertThat(out).hasSize(35);
    return out;
  }

  @Provide
  Arbitrary<Layout> layouts() {
    return Arbitraries.of(allLayouts());
  }

  @Provide
  Arbitrary<Field> fields() {
    List<Field> fields = new ArrayList<>();
    allLayouts().forEach(l -> fields.addAll(l.fields()));
    return Arbitraries.of(fields);
  }

  @Property(seed = "7341")
  void decodeThenReencodeFieldByFieldGivesTheDefinedBits(
      @ForAll("layouts") Layout layout, @ForAll long raw) {
    RegisterValue value = RegisterValue.of(layout, raw);
    assertThat(value.value()).isEqualTo(raw);
    QwordImage.Builder<RegisterValue> rebuilt = RegisterValue.builder(layout).checked();
    for (Field f : layout.fields()) {
      rebuilt.set(f, value.get(f));
    }
    assertThat(rebuilt.build().value()).isEqualTo(raw & layout.definedBits()[0]);
    assertThat(value.describe()).startsWith(layout.name());
    assertThat(RegisterValue.of(layout, value.value())).isEqualTo(value);
  }

  @Property(seed = "7342")
  void setTruncatesToTheFieldAndLeavesOtherBitsAlone(
      @ForAll("layouts") Layout layout, @ForAll long start, @ForAll long newValue) {
    for (Field f : layout.fields()) {
      RegisterValue before = RegisterValue.of(layout, start);
      RegisterValue after = RegisterValue.builder(layout).qword(0, start).set(f, newValue).build();
      long expected = f.isAddress() ? newValue & f.mask() : newValue & (f.mask() >>> f.lo());
      assertThat(after.get(f)).as(f.name()).isEqualTo(expected);
      assertThat(after.value() & ~f.mask()).isEqualTo(before.value() & ~f.mask());
    }
  }

  @Property(seed = "7343")
  void checkedBuilderRejectsValuesThatDoNotFit(@ForAll("fields") Field f, @ForAll long value) {
    Layout layout =
        allLayouts().stream().filter(l -> l.fields().contains(f)).findFirst().orElseThrow();
    boolean fits = f.isAddress() ? (value & ~f.mask()) == 0 : (value & ~(f.mask() >>> f.lo())) == 0;
    QwordImage.Builder<RegisterValue> b = RegisterValue.builder(layout).checked();
    if (fits) {
      assertThat(b.set(f, value).build().get(f)).isEqualTo(value);
    } else {
      assertThatThrownBy(() -> b.set(f, value))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(layout.name() + "." + f.name());
    }
  }

  @Property(seed = "7344")
  void describeByOffsetNeverThrows(@ForAll int offset, @ForAll long value) {
    assertThat(RegisterLayouts.describe(offset & 0x1ffff, value)).isNotEmpty();
    assertThat(RegisterLayouts.describe(offset, value)).isNotEmpty();
  }

  @Test
  void thirtyTwoBitRegistersDefineNoBitAboveBit31() {
    for (Map.Entry<Integer, Layout> e : RegisterLayouts.all().entrySet()) {
      long defined = e.getValue().definedBits()[0];
      if (RegisterOffsets.is64Bit(e.getKey())) {
        assertThat(defined >>> 32).as(e.getValue().name()).isNotZero();
      } else {
        assertThat(defined >>> 32).as(e.getValue().name()).isZero();
      }
      assertThat(e.getValue().name()).isEqualTo(RegisterOffsets.nameOf(e.getKey()));
    }
  }

  @Test
  void fieldPositionsFromTheRegisterMap() {
    assertThat(Cr0.VMW.mask()).isEqualTo(0x1c0L);
    assertThat(Cr2.LAYOUT.definedBits()[0]).isEqualTo(0x7L);
    assertThat(IrqCtrl.LAYOUT.definedBits()[0]).isEqualTo(0x7L);
    assertThat(Gbpa.UPDATE.mask()).isEqualTo(1L << 31);
    assertThat(Gbpa.ABORT.mask()).isEqualTo(1L << 20);
    assertThat(StreamTableRegisters.ADDR.mask()).isEqualTo(0x000f_ffff_ffff_ffc0L);
    assertThat(StreamTableRegisters.RA.mask()).isEqualTo(1L << 62);
    assertThat(StreamTableRegisters.CFG_LAYOUT.definedBits()[0]).isEqualTo(0x307ffL);
    assertThat(QueueRegisters.CMDQ_BASE_LAYOUT.definedBits()[0]).isEqualTo(0x400f_ffff_ffff_ffffL);
    assertThat(QueueRegisters.ERR.mask()).isEqualTo(0x7f00_0000L);
    assertThat(IrqConfigRegisters.ADDR.mask()).isEqualTo(0x000f_ffff_ffff_fffcL);
    assertThat(IrqConfigRegisters.GERROR_CFG2.definedBits()[0]).isEqualTo(0x3fL);
    assertThat(IrqConfigRegisters.EVTQ_CFG1.definedBits()[0]).isEqualTo(0xffff_ffffL);
  }

  @Test
  void describesKnownValues() {
    assertThat(RegisterLayouts.describe(RegisterOffsets.CR2, 0x6))
        .isEqualTo("CR2 RECINVSID=1 PTM=1");
    assertThat(RegisterLayouts.describe(RegisterOffsets.IRQ_CTRL, 0x5))
        .isEqualTo("IRQ_CTRL GERROR_IRQEN=1 EVTQ_IRQEN=1");
    assertThat(RegisterLayouts.describe(RegisterOffsets.GBPA, 0x1000))
        .isEqualTo("GBPA SHCFG=incoming");
    assertThat(RegisterLayouts.describe(RegisterOffsets.GBPA, 0x100000)).isEqualTo("GBPA ABORT=1");
    assertThat(RegisterLayouts.describe(RegisterOffsets.STRTAB_BASE_CFG, 0x10210))
        .isEqualTo("STRTAB_BASE_CFG LOG2SIZE=0x10 SPLIT=8 FMT=2-level");
    assertThat(RegisterLayouts.describe(RegisterOffsets.STRTAB_BASE_CFG, 0x20000))
        .isEqualTo("STRTAB_BASE_CFG FMT=reserved(2)");
    assertThat(RegisterLayouts.describe(RegisterOffsets.CR1, 0x8)).isEqualTo("CR1 QUEUE_OC=WT");
    assertThat(RegisterLayouts.describe(RegisterOffsets.CR1, 0x10))
        .isEqualTo("CR1 QUEUE_SH=reserved(1)");
    assertThat(RegisterLayouts.describe(RegisterOffsets.EVTQ_IRQ_CFG2, 0x31))
        .isEqualTo("EVTQ_IRQ_CFG2 MemAttr=1 SH=inner");
    assertThat(RegisterLayouts.describe(RegisterOffsets.CR0, 0x200))
        .isEqualTo("CR0 q0.reserved=0x200");
    assertThat(RegisterLayouts.describe(RegisterOffsets.IDR2, 0x12)).isEqualTo("IDR2 0x12");
    assertThat(RegisterLayouts.at(0x94)).isNull();
    assertThat(RegisterLayouts.at(-4)).isNull();
  }

  @Test
  void commandQueueErrorsHaveNames() {
    assertThat(RegisterLayouts.describe(RegisterOffsets.CMDQ_CONS, 0x0100_0005))
        .isEqualTo("CMDQ_CONS RD=5 ERR=ill");
    assertThat(RegisterLayouts.describe(RegisterOffsets.CMDQ_CONS, 0x0200_0000))
        .isEqualTo("CMDQ_CONS ERR=abt");
    assertThat(RegisterLayouts.describe(RegisterOffsets.CMDQ_CONS, 0x0300_0000))
        .isEqualTo("CMDQ_CONS ERR=atc-inv-sync");
    assertThat(RegisterLayouts.describe(RegisterOffsets.CMDQ_CONS, 0x7f00_0000))
        .isEqualTo("CMDQ_CONS ERR=reserved(127)");
    assertThat(QueueRegisters.COMMAND_ERRORS.nameOf(QueueRegisters.CERROR_NONE)).isEqualTo("none");
    assertThat(QueueRegisters.COMMAND_ERRORS.valueOf("ill")).isEqualTo(QueueRegisters.CERROR_ILL);
    assertThat(QueueRegisters.COMMAND_ERRORS.valueOf("abt")).isEqualTo(QueueRegisters.CERROR_ABT);
    assertThat(QueueRegisters.COMMAND_ERRORS.valueOf("atc-inv-sync"))
        .isEqualTo(QueueRegisters.CERROR_ATC_INV_SYNC);
  }

  @Test
  void overflowFlagsSitInBit31() {
    assertThat(RegisterValue.of32(QueueRegisters.EVTQ_PROD_LAYOUT, 0x8000_0003).describe())
        .isEqualTo("EVTQ_PROD WR=3 OVFLG=1");
    assertThat(RegisterValue.of32(QueueRegisters.EVTQ_CONS_LAYOUT, 0x8000_0000).describe())
        .isEqualTo("EVTQ_CONS OVACKFLG=1");
    assertThat(RegisterLayouts.describe(RegisterOffsets.PRIQ_PROD, 0x8000_0000L))
        .isEqualTo("PRIQ_PROD OVFLG=1");
    assertThat(RegisterLayouts.describe(RegisterOffsets.PRIQ_CONS, 0x8000_0000L))
        .isEqualTo("PRIQ_CONS OVACKFLG=1");
    assertThat(RegisterValue.of32(QueueRegisters.EVTQ_PROD_LAYOUT, -1).value())
        .isEqualTo(0xffff_ffffL);
  }

  @Test
  void registerValueRejectsMultiQwordLayouts() {
    Layout wide = new Layout("TWO", 2, List.of());
    assertThatThrownBy(() -> RegisterValue.of(wide, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("TWO");
    assertThatThrownBy(() -> RegisterValue.builder(wide))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void identificationRegisters() {
    // Arm MMU-600: implementer 0x43B, product 0x483.
    assertThat(RegisterLayouts.describe(RegisterOffsets.IIDR, 0x4830_043BL))
        .isEqualTo("IIDR Implementer=0x43b ProductID=0x483");
    RegisterValue aidr = RegisterValue.of(IdentificationRegisters.AIDR_LAYOUT, 1);
    assertThat(aidr.get(IdentificationRegisters.ARCH_MINOR_REV)).isEqualTo(1);
    assertThat(aidr.get(IdentificationRegisters.ARCH_MAJOR_REV)).isZero();
  }
}
