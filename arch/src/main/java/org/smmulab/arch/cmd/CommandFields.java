package org.smmulab.arch.cmd;

import org.smmulab.arch.codec.Field;
import org.smmulab.arch.codec.ValueNames;

/**
 * Every field of every command except the opcode ({@link Opcode#FIELD}), by its position in the
 * 16-byte entry. Each {@link Opcode} lists the subset its command uses; a field that several
 * commands place at the same bits under the same name is one constant here.
 *
 * <p>TLBI SCALE is {@code q0[24:20]}, five bits, as the architecture defines it (a range covers
 * {@code (NUM+1) * 2^SCALE} pages, so SCALE reaches 31) and as Linux's and QEMU's field macros read
 * it; bit 25 is reserved. One transcription of the Linux header prints {@code [25:20]}; its vectors
 * only use SCALE 0 and 1 and encode identically either way.
 */
public final class CommandFields {
  private CommandFields() {}

  /** ATC_INV global invalidation (PCIe Global Invalidate), q0[9]. */
  public static final Field GLOBAL = Field.bit("Global", 0, 9);

  /** The StreamID is Secure, q0[10]; must be 0 on the Non-secure command queue. */
  public static final Field SSEC = Field.bit("SSec", 0, 10);

  /** SubstreamID valid, q0[11]. */
  public static final Field SSV = Field.bit("SSV", 0, 11);

  /** SubstreamID (PASID), q0[31:12]. */
  public static final Field SSID = Field.of("SSID", 0, 31, 12);

  /** StreamID, q0[63:32]. */
  public static final Field SID = Field.of("SID", 0, 63, 32);

  /** TLBI range: number of blocks minus one, q0[16:12]. */
  public static final Field NUM = Field.of("NUM", 0, 16, 12);

  /** TLBI range: log2 of the pages per block, q0[24:20] (see the class comment). */
  public static final Field SCALE = Field.of("SCALE", 0, 24, 20);

  /** TLBI VMID, q0[47:32]. */
  public static final Field VMID = Field.of("VMID", 0, 47, 32);

  /** TLBI ASID, q0[63:48]. */
  public static final Field ASID = Field.of("ASID", 0, 63, 48);

  /** RESUME action, q0[13:12]: bit 12 retries (else terminates), bit 13 aborts. */
  public static final Field ACTION =
      Field.of("Action", 0, 13, 12)
          .withNames(ValueNames.of(0, "terminate", 1, "retry", 2, "abort"));

  /** CMD_SYNC completion signal, q0[13:12]. */
  public static final Field CS =
      Field.of("CS", 0, 13, 12).withNames(ValueNames.of(0, "SIG_NONE", 1, "SIG_IRQ", 2, "SIG_SEV"));

  /** CMD_SYNC MSI shareability, q0[23:22]. */
  public static final Field MSH =
      Field.of("MSH", 0, 23, 22).withNames(ValueNames.of(0, "NSH", 2, "OSH", 3, "ISH"));

  /** CMD_SYNC MSI memory attributes, q0[27:24] (the IRQ_CFG2.MemAttr encoding). */
  public static final Field MSI_ATTR =
      Field.of("MSIAttr", 0, 27, 24).withNames(memoryAttributeNames());

  /** CMD_SYNC MSI payload, q0[63:32]. */
  public static final Field MSI_DATA = Field.of("MSIData", 0, 63, 32);

  /** CFGI_STE / CFGI_CD: 1 = only leaf entries, 0 = also the level-1 descriptor, q1[0]. */
  public static final Field CFGI_LEAF = Field.bit("Leaf", 1, 0);

  /** CFGI_STE_RANGE: {@code 2^(Range+1)} StreamIDs, q1[4:0]; 31 means all. */
  public static final Field RANGE = Field.of("Range", 1, 4, 0);

  /** TLBI: 1 = only leaf entries (walk caches may stay), q1[0]. */
  public static final Field TLBI_LEAF = Field.bit("Leaf", 1, 0);

  /** TLBI: level of the leaf entries (0 = no hint), q1[9:8]. */
  public static final Field TTL = Field.of("TTL", 1, 9, 8);

  /** TLBI range granule, q1[11:10]: 0 = one address (no range). */
  public static final Field TG =
      Field.of("TG", 1, 11, 10).withNames(ValueNames.of(0, "none", 1, "4K", 2, "16K", 3, "64K"));

  /** TLBI VA forms, PREFETCH_ADDR and ATC_INV: the address, q1[63:12] in place. */
  public static final Field ADDR = Field.address("Addr", 1, 63, 12);

  /** TLBI_S2_IPA: the intermediate physical address, q1[51:12] in place. */
  public static final Field IPA = Field.address("IPA", 1, 51, 12);

  /** PREFETCH_ADDR: log2 of the number of pages to prefetch, q1[4:0]. */
  public static final Field PREFETCH_SIZE = Field.of("Size", 1, 4, 0);

  /** ATC_INV: log2 of the number of 4 KiB pages invalidated, q1[5:0]; 52 means all. */
  public static final Field ATC_SIZE = Field.of("Size", 1, 5, 0);

  /** PRI_RESP: page request group index, q1[8:0]. */
  public static final Field PRG_INDEX = Field.of("PRGIndex", 1, 8, 0);

  /** PRI_RESP response code, q1[13:12]. */
  public static final Field PRI_RESPONSE =
      Field.of("Resp", 1, 13, 12).withNames(ValueNames.of(0, "deny", 1, "fail", 2, "success"));

  /** RESUME: the stall tag of the event being answered, q1[15:0]. */
  public static final Field STAG = Field.of("STAG", 1, 15, 0);

  /** CMD_SYNC MSI address, q1[51:2] in place (32-bit aligned). */
  public static final Field MSI_ADDR = Field.address("MSIAddr", 1, 51, 2);

  /**
   * The MemAttr encoding: bits [3:2] are the outer attribute (00 Device, 01 Non-cacheable, 10
   * Write-through, 11 Write-back); with outer Device, bits [1:0] give the Device type, otherwise
   * the inner attribute (00 reserved).
   */
  private static ValueNames memoryAttributeNames() {
    String[] device = {"Device-nGnRnE", "Device-nGnRE", "Device-nGRE", "Device-GRE"};
    String[] cacheability = {null, "NC", "WT", "WB"};
    Object[] pairs = new Object[2 * (4 + 9)];
    int i = 0;
    for (int type = 0; type < 4; type++) {
      pairs[i++] = type;
      pairs[i++] = device[type];
    }
    for (int outer = 1; outer < 4; outer++) {
      for (int inner = 1; inner < 4; inner++) {
        pairs[i++] = (outer << 2) | inner;
        pairs[i++] = "Normal-O" + cacheability[outer] + "-I" + cacheability[inner];
      }
    }
    return ValueNames.of(pairs);
  }
}
