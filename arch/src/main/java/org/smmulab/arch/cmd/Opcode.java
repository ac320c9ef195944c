package org.smmulab.arch.cmd;

import static org.smmulab.arch.cmd.CommandFields.ACTION;
import static org.smmulab.arch.cmd.CommandFields.ADDR;
import static org.smmulab.arch.cmd.CommandFields.ASID;
import static org.smmulab.arch.cmd.CommandFields.ATC_SIZE;
import static org.smmulab.arch.cmd.CommandFields.CFGI_LEAF;
import static org.smmulab.arch.cmd.CommandFields.CS;
import static org.smmulab.arch.cmd.CommandFields.GLOBAL;
import static org.smmulab.arch.cmd.CommandFields.IPA;
import static org.smmulab.arch.cmd.CommandFields.MSH;
import static org.smmulab.arch.cmd.CommandFields.MSI_ADDR;
import static org.smmulab.arch.cmd.CommandFields.MSI_ATTR;
import static org.smmulab.arch.cmd.CommandFields.MSI_DATA;
import static org.smmulab.arch.cmd.CommandFields.NUM;
import static org.smmulab.arch.cmd.CommandFields.PREFETCH_SIZE;
import static org.smmulab.arch.cmd.CommandFields.PRG_INDEX;
import static org.smmulab.arch.cmd.CommandFields.PRI_RESPONSE;
import static org.smmulab.arch.cmd.CommandFields.RANGE;
import static org.smmulab.arch.cmd.CommandFields.SCALE;
import static org.smmulab.arch.cmd.CommandFields.SID;
import static org.smmulab.arch.cmd.CommandFields.SSEC;
import static org.smmulab.arch.cmd.CommandFields.SSID;
import static org.smmulab.arch.cmd.CommandFields.SSV;
import static org.smmulab.arch.cmd.CommandFields.STAG;
import static org.smmulab.arch.cmd.CommandFields.TG;
import static org.smmulab.arch.cmd.CommandFields.TLBI_LEAF;
import static org.smmulab.arch.cmd.CommandFields.TTL;
import static org.smmulab.arch.cmd.CommandFields.VMID;

import java.util.ArrayList;
import java.util.List;
import org.smmulab.arch.codec.Field;
import org.smmulab.arch.codec.Layout;
import org.smmulab.arch.codec.ValueNames;

/**
 * The architected command opcodes, each with the layout of its command: the opcode field followed
 * by exactly the fields that command defines, so that any other set bit describes as reserved.
 *
 * <p>SSec appears on the commands that name a StreamID of either security state (prefetch, CFGI,
 * RESUME, STALL_TERM); ATC_INV and PRI_RESP have none because ATS and PRI exist only for Non-secure
 * streams. CFGI_CD carries an SSID but no SSV: SSID 0 names the stream's first CD. Opcode 0x04 with
 * Range = 31 is the command software calls CFGI_ALL; there is no separate opcode for it. Every
 * other opcode value is reserved and makes the SMMU report CERROR_ILL.
 */
public enum Opcode {
  /** Prefetch the configuration of a stream (and substream). */
  PREFETCH_CONFIG(0x01, SSEC, SSV, SSID, SID),
  /** Prefetch translations for {@code 2^Size} pages at Addr. */
  PREFETCH_ADDR(0x02, SSEC, SSV, SSID, SID, PREFETCH_SIZE, ADDR),
  /** Invalidate the cached STE of one stream (and its L1STD when Leaf = 0). */
  CFGI_STE(0x03, SSEC, SID, CFGI_LEAF),
  /** Invalidate the STEs of {@code 2^(Range+1)} streams from SID aligned down; CFGI_ALL at 31. */
  CFGI_STE_RANGE(0x04, SSEC, SID, RANGE),
  /** Invalidate the cached CD of one substream (and its L1CD when Leaf = 0). */
  CFGI_CD(0x05, SSEC, SSID, SID, CFGI_LEAF),
  /** Invalidate every cached CD of one stream. */
  CFGI_CD_ALL(0x06, SSEC, SID),
  /** Invalidate all NS-EL1 stage-1 entries of a VMID. */
  TLBI_NH_ALL(0x10, VMID),
  /** Invalidate the non-global NS-EL1 entries of one ASID in a VMID. */
  TLBI_NH_ASID(0x11, VMID, ASID),
  /** Invalidate NS-EL1 entries of an ASID (or global) covering an address or range. */
  TLBI_NH_VA(0x12, NUM, SCALE, VMID, ASID, TLBI_LEAF, TTL, TG, ADDR),
  /** Invalidate NS-EL1 entries of every ASID covering an address or range. */
  TLBI_NH_VAA(0x13, NUM, SCALE, VMID, TLBI_LEAF, TTL, TG, ADDR),
  /** Invalidate all EL3 entries. */
  TLBI_EL3_ALL(0x18),
  /** Invalidate EL3 entries covering an address or range. */
  TLBI_EL3_VA(0x1A, NUM, SCALE, TLBI_LEAF, TTL, TG, ADDR),
  /** Invalidate all EL2 entries. */
  TLBI_EL2_ALL(0x20),
  /** Invalidate the non-global EL2 entries of one ASID. */
  TLBI_EL2_ASID(0x21, ASID),
  /** Invalidate EL2 entries of an ASID (or global) covering an address or range. */
  TLBI_EL2_VA(0x22, NUM, SCALE, ASID, TLBI_LEAF, TTL, TG, ADDR),
  /** Invalidate EL2 entries of every ASID covering an address or range. */
  TLBI_EL2_VAA(0x23, NUM, SCALE, TLBI_LEAF, TTL, TG, ADDR),
  /** Invalidate every entry tagged with a VMID (stage 1, stage 2, combined, walk caches). */
  TLBI_S12_VMALL(0x28, VMID),
  /** Invalidate stage-2 entries of a VMID covering an IPA or IPA range. */
  TLBI_S2_IPA(0x2A, NUM, SCALE, VMID, TLBI_LEAF, TTL, TG, IPA),
  /** Invalidate all Non-secure EL1 and EL2 entries. */
  TLBI_NSNH_ALL(0x30),
  /** Invalidate an endpoint's ATC: {@code 2^Size} 4 KiB pages at Addr. */
  ATC_INV(0x40, GLOBAL, SSV, SSID, SID, ATC_SIZE, ADDR),
  /** Answer a page request group. */
  PRI_RESP(0x41, SSV, SSID, SID, PRG_INDEX, PRI_RESPONSE),
  /** Retry, terminate or abort a stalled transaction. */
  RESUME(0x44, SSEC, ACTION, SID, STAG),
  /** Terminate every stalled transaction of a stream. */
  STALL_TERM(0x45, SSEC, SID),
  /** Complete when every earlier command has completed, optionally signalling. */
  CMD_SYNC(0x46, CS, MSH, MSI_ATTR, MSI_DATA, MSI_ADDR);

  /**
   * The opcode, q0[7:0]; named encodings are the opcodes' names as the architecture prints them.
   */
  public static final Field FIELD = Field.of("Opcode", 0, 7, 0).withNames(names());

  private static final Layout[] LAYOUTS = new Layout[256];

  /** The opcode of each opcode byte, {@code null} for reserved ones. */
  private static final Opcode[] BY_VALUE = new Opcode[256];

  static {
    for (int v = 0; v < LAYOUTS.length; v++) {
      LAYOUTS[v] = new Layout(String.format("reserved(0x%02x)", v), 2, List.of(FIELD));
    }
    for (Opcode op : values()) {
      List<Field> fields = new ArrayList<>();
      fields.add(FIELD);
      fields.addAll(op.fields);
      LAYOUTS[op.value] = new Layout(op.name(), 2, fields);
      BY_VALUE[op.value] = op;
    }
  }

  private final int value;
  private final List<Field> fields;

  Opcode(int value, Field... fields) {
    this.value = value;
    this.fields = List.of(fields);
  }

  /** The opcode's encoding, 0..255. */
  public int value() {
    return value;
  }

  /** The name as the architecture prints it, e.g. {@code "CMD_SYNC"} or {@code "TLBI_NH_VA"}. */
  public String specName() {
    return name();
  }

  /** The command's layout: the opcode field, then the command's own fields in bit order. */
  public Layout layout() {
    return LAYOUTS[value];
  }

  /** The opcode encoded as {@code value}, or {@code null} if the encoding is reserved. */
  public static Opcode fromValue(long value) {
    if (value < 0 || value > 255) {
      return null;
    }
    return BY_VALUE[(int) value];
  }

  /** The opcode whose {@link #specName()} is {@code name} (case-insensitive), or {@code null}. */
  public static Opcode fromName(String name) {
    for (Opcode op : values()) {
      if (op.specName().equalsIgnoreCase(name)) {
        return op;
      }
    }
    return null;
  }

  /**
   * The layout of a command whose opcode byte is {@code value & 0xFF}: the opcode's layout, or for
   * a reserved encoding a layout named {@code reserved(0x..)} holding only the opcode field.
   */
  public static Layout layoutOf(long value) {
    return LAYOUTS[(int) (value & 0xFF)];
  }

  private static ValueNames names() {
    Object[] pairs = new Object[values().length * 2];
    int i = 0;
    for (Opcode op : values()) {
      pairs[i++] = op.value;
      pairs[i++] = op.specName();
    }
    return ValueNames.of(pairs);
  }
}
