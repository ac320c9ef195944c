package org.smmulab.hw.smmu.config;

import org.smmulab.arch.regs.StreamTableRegisters;
import org.smmulab.hw.smmu.SmmuConfig;

/**
 * What the register file says about finding a stream's configuration: the stream table
 * (STRTAB_BASE, STRTAB_BASE_CFG) and the CR2 controls that affect configuration lookup. A snapshot;
 * the register file makes a new one whenever one of those registers changes.
 *
 * <p>Decoding follows the architecture where it is strict and picks the loudest permitted behaviour
 * where it is not:
 *
 * <ul>
 *   <li>LOG2SIZE is capped at IDR1.SIDSIZE;
 *   <li>a 2-level format on an instance without ST_LEVEL = 1, a reserved FMT, or a SPLIT other than
 *       6, 8 or 10 leave the table {@link #unusable()}: every StreamID is then out of range
 *       (C_BAD_STREAMID when recorded), so a driver that programs them sees every device fail
 *       instead of a silently reinterpreted table;
 * </ul>
 *
 * @param base the table's physical address (STRTAB_BASE.ADDR)
 * @param twoLevel whether the table is 2-level
 * @param split SPLIT: StreamID bits resolved by a level-2 table (2-level only)
 * @param log2Size StreamIDs covered: {@code 2^log2Size}, capped at SIDSIZE
 * @param unusable whether the format fields are unusable (see above)
 * @param recordInvalidStreamIds CR2.RECINVSID: out-of-range StreamIDs record C_BAD_STREAMID
 * @param e2h CR2.E2H: EL2 streams use the EL2-E2H regime
 */
public record ConfigurationRegisters(
    long base,
    boolean twoLevel,
    int split,
    int log2Size,
    boolean unusable,
    boolean recordInvalidStreamIds,
    boolean e2h) {

  /** Registers at reset: an empty linear table at 0 covering no StreamID. */
  public static final ConfigurationRegisters RESET =
      new ConfigurationRegisters(0, false, 0, 0, false, false, false);

  /**
   * Decodes raw register values.
   *
   * @param strtabBase STRTAB_BASE (64 bits)
   * @param strtabBaseCfg STRTAB_BASE_CFG (32 bits)
   * @param cr2 CR2 (32 bits: E2H bit 0, RECINVSID bit 1)
   * @param config the instance
   */
  public static ConfigurationRegisters decode(
      long strtabBase, int strtabBaseCfg, int cr2, SmmuConfig config) {
    long base = StreamTableRegisters.ADDR.extract(strtabBase);
    long cfg = Integer.toUnsignedLong(strtabBaseCfg);
    int fmt = (int) StreamTableRegisters.FMT.extract(cfg);
    int split = (int) StreamTableRegisters.SPLIT.extract(cfg);
    int log2Size = Math.min((int) StreamTableRegisters.LOG2SIZE.extract(cfg), config.sidBits());
    boolean twoLevel = fmt == StreamTableRegisters.FMT_TWO_LEVEL;
    boolean unusable =
        fmt > StreamTableRegisters.FMT_TWO_LEVEL
            || (twoLevel && !config.twoLevelStreamTable())
            || (twoLevel && split != 6 && split != 8 && split != 10);
    return new ConfigurationRegisters(
        base, twoLevel, split, log2Size, unusable, (cr2 & 2) != 0, config.hyp() && (cr2 & 1) != 0);
  }
}
