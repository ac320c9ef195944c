package org.smmulab.arch.regs;

import java.util.Map;
import java.util.TreeMap;

/**
 * Byte offsets of the SMMUv3 registers within the 128 KiB MMIO window of one SMMU (the {@code
 * ARM_SMMU_*} offsets in Linux), and a lookup from offset to register name for traces.
 *
 * <p>The window has two 64 KiB pages: page 0 at offset 0 holds every register except the event and
 * PRI queue PROD/CONS registers, which live in page 1 at {@link #PAGE_1} plus their page-0 offset.
 * Some implementations (QEMU, a Cavium erratum in Linux) also answer those four registers at their
 * page-0 offsets; {@link #nameOf} names such an access {@code "EVTQ_PROD@page0"} so a trace shows
 * it, while the architected offsets remain the page-1 ones.
 *
 * <p>64-bit registers (the *_BASE registers and *_IRQ_CFG0) may also be accessed as two 32-bit
 * halves; the upper half at offset + 4 is named {@code "CMDQ_BASE.hi"}.
 */
public final class RegisterOffsets {
  /** Size of the MMIO window in bytes: two 64 KiB pages. */
  public static final int MMIO_SIZE = 0x20000;

  /** Offset of register page 1. */
  public static final int PAGE_1 = 0x10000;

  /** Feature register 0: stages, table formats, ATS/PRI/MSI, stream table levels. */
  public static final int IDR0 = 0x000;

  /** Feature register 1: StreamID/SubstreamID widths and maximum queue sizes. */
  public static final int IDR1 = 0x004;

  /** Feature register 2: VATOS page base address. */
  public static final int IDR2 = 0x008;

  /** Feature register 3: SMMUv3.1+ features (RIL, BBML, HAD, ...). */
  public static final int IDR3 = 0x00C;

  /** Feature register 4: implementation defined. */
  public static final int IDR4 = 0x010;

  /** Feature register 5: output address size, granules, VA size, STALL_MAX. */
  public static final int IDR5 = 0x014;

  /** Implementation identification. */
  public static final int IIDR = 0x018;

  /** Architecture revision. */
  public static final int AIDR = 0x01C;

  /** Global control: enables for translation and the queues. */
  public static final int CR0 = 0x020;

  /** Acknowledges CR0: equals CR0 once a change has taken effect. */
  public static final int CR0ACK = 0x024;

  /** Cacheability and shareability of table and queue accesses. */
  public static final int CR1 = 0x028;

  /** E2H, RECINVSID and PTM controls. */
  public static final int CR2 = 0x02C;

  /** Status register. */
  public static final int STATUSR = 0x040;

  /** Global bypass attributes (used while SMMUEN = 0). */
  public static final int GBPA = 0x044;

  /** Interrupt enables for the gerror, PRI queue and event queue interrupts. */
  public static final int IRQ_CTRL = 0x050;

  /** Acknowledges IRQ_CTRL. */
  public static final int IRQ_CTRLACK = 0x054;

  /** Global errors, toggled by the SMMU. */
  public static final int GERROR = 0x060;

  /** Global error acknowledgements, toggled by software. */
  public static final int GERRORN = 0x064;

  /** Global error MSI address (64-bit). */
  public static final int GERROR_IRQ_CFG0 = 0x068;

  /** Global error MSI data. */
  public static final int GERROR_IRQ_CFG1 = 0x070;

  /** Global error MSI attributes. */
  public static final int GERROR_IRQ_CFG2 = 0x074;

  /** Stream table base address (64-bit). */
  public static final int STRTAB_BASE = 0x080;

  /** Stream table format, split and size. */
  public static final int STRTAB_BASE_CFG = 0x088;

  /** Command queue base address and size (64-bit). */
  public static final int CMDQ_BASE = 0x090;

  /** Command queue producer index (written by software). */
  public static final int CMDQ_PROD = 0x098;

  /** Command queue consumer index and command error (written by the SMMU). */
  public static final int CMDQ_CONS = 0x09C;

  /** Event queue base address and size (64-bit). */
  public static final int EVTQ_BASE = 0x0A0;

  /** Event queue producer index (page 1, written by the SMMU). */
  public static final int EVTQ_PROD = PAGE_1 + 0x0A8;

  /** Event queue consumer index (page 1, written by software). */
  public static final int EVTQ_CONS = PAGE_1 + 0x0AC;

  /** Event queue MSI address (64-bit). */
  public static final int EVTQ_IRQ_CFG0 = 0x0B0;

  /** Event queue MSI data. */
  public static final int EVTQ_IRQ_CFG1 = 0x0B8;

  /** Event queue MSI attributes. */
  public static final int EVTQ_IRQ_CFG2 = 0x0BC;

  /** PRI queue base address and size (64-bit). */
  public static final int PRIQ_BASE = 0x0C0;

  /** PRI queue producer index (page 1, written by the SMMU). */
  public static final int PRIQ_PROD = PAGE_1 + 0x0C8;

  /** PRI queue consumer index (page 1, written by software). */
  public static final int PRIQ_CONS = PAGE_1 + 0x0CC;

  /** PRI queue MSI address (64-bit). */
  public static final int PRIQ_IRQ_CFG0 = 0x0D0;

  /** PRI queue MSI data. */
  public static final int PRIQ_IRQ_CFG1 = 0x0D8;

  /** PRI queue MSI attributes. */
  public static final int PRIQ_IRQ_CFG2 = 0x0DC;

  /** First of the CoreSight-style peripheral and component ID registers (PIDR4). */
  public static final int PIDR4 = 0xFD0;

  private static final Map<Integer, String> NAMES = new TreeMap<>();
  private static final Map<Integer, String> WIDE = new TreeMap<>();

  static {
    name(IDR0, "IDR0");
    name(IDR1, "IDR1");
    name(IDR2, "IDR2");
    name(IDR3, "IDR3");
    name(IDR4, "IDR4");
    name(IDR5, "IDR5");
    name(IIDR, "IIDR");
    name(AIDR, "AIDR");
    name(CR0, "CR0");
    name(CR0ACK, "CR0ACK");
    name(CR1, "CR1");
    name(CR2, "CR2");
    name(STATUSR, "STATUSR");
    name(GBPA, "GBPA");
    name(IRQ_CTRL, "IRQ_CTRL");
    name(IRQ_CTRLACK, "IRQ_CTRLACK");
    name(GERROR, "GERROR");
    name(GERRORN, "GERRORN");
    wide(GERROR_IRQ_CFG0, "GERROR_IRQ_CFG0");
    name(GERROR_IRQ_CFG1, "GERROR_IRQ_CFG1");
    name(GERROR_IRQ_CFG2, "GERROR_IRQ_CFG2");
    wide(STRTAB_BASE, "STRTAB_BASE");
    name(STRTAB_BASE_CFG, "STRTAB_BASE_CFG");
    wide(CMDQ_BASE, "CMDQ_BASE");
    name(CMDQ_PROD, "CMDQ_PROD");
    name(CMDQ_CONS, "CMDQ_CONS");
    wide(EVTQ_BASE, "EVTQ_BASE");
    name(EVTQ_PROD, "EVTQ_PROD");
    name(EVTQ_CONS, "EVTQ_CONS");
    wide(EVTQ_IRQ_CFG0, "EVTQ_IRQ_CFG0");
    name(EVTQ_IRQ_CFG1, "EVTQ_IRQ_CFG1");
    name(EVTQ_IRQ_CFG2, "EVTQ_IRQ_CFG2");
    wide(PRIQ_BASE, "PRIQ_BASE");
    name(PRIQ_PROD, "PRIQ_PROD");
    name(PRIQ_CONS, "PRIQ_CONS");
    wide(PRIQ_IRQ_CFG0, "PRIQ_IRQ_CFG0");
    name(PRIQ_IRQ_CFG1, "PRIQ_IRQ_CFG1");
    name(PRIQ_IRQ_CFG2, "PRIQ_IRQ_CFG2");
    String[] ids = {
      "PIDR4", "PIDR5", "PIDR6", "PIDR7", "PIDR0", "PIDR1", "PIDR2", "PIDR3", "CIDR0", "CIDR1",
      "CIDR2", "CIDR3"
    };
    for (int i = 0; i < ids.length; i++) {
      name(PIDR4 + 4 * i, ids[i]);
    }
    for (int offset : new int[] {EVTQ_PROD, EVTQ_CONS, PRIQ_PROD, PRIQ_CONS}) {
      NAMES.put(offset - PAGE_1, NAMES.get(offset) + "@page0");
    }
  }

  private RegisterOffsets() {}

  private static void name(int offset, String name) {
    NAMES.put(offset, name);
  }

  private static void wide(int offset, String name) {
    NAMES.put(offset, name);
    NAMES.put(offset + 4, name + ".hi");
    WIDE.put(offset, name);
  }

  /**
   * The name of the register (or register half) at byte {@code offset}, for traces: {@code "CR0"},
   * {@code "CMDQ_BASE.hi"}, {@code "EVTQ_PROD@page0"}; any other offset as {@code "0x%05x"}
   * (negative offsets included, so a trace never fails).
   */
  public static String nameOf(long offset) {
    String name = offset >= 0 && offset < MMIO_SIZE ? NAMES.get((int) offset) : null;
    return name != null ? name : String.format("0x%05x", offset);
  }

  /** Whether {@code offset} is the low (or only) offset of a 64-bit register. */
  public static boolean is64Bit(long offset) {
    return offset >= 0 && offset < MMIO_SIZE && WIDE.containsKey((int) offset);
  }

  /** Every named offset and its name, ascending by offset (page-0 aliases and upper halves too). */
  public static Map<Integer, String> names() {
    return new TreeMap<>(NAMES);
  }
}
