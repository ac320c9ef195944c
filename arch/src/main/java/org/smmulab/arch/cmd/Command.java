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
import java.util.Map;
import org.smmulab.arch.codec.Field;
import org.smmulab.arch.codec.QwordImage;

/**
 * One command queue entry (16 bytes, two qwords). Its layout follows from the opcode byte: an
 * architected opcode gets {@link Opcode#layout()}, a reserved one a layout holding only the opcode
 * field, so {@link #decode} accepts every bit pattern and {@link #describe()} shows unused set bits
 * as reserved.
 *
 * <p>The static factories encode what a Linux-style driver issues; values wider than their field
 * are truncated as the kernel's {@code FIELD_PREP} does. User input goes through {@link
 * #fromUserFields}, which rejects unknown names and values that do not fit.
 *
 * <p>The typed getters read one field each and throw {@link IllegalStateException} when the command
 * has no such field (asking a TLBI_NH_ALL for its StreamID is a programming error, not a hardware
 * condition). Commands are immutable and safe to share between threads.
 */
public final class Command extends QwordImage {
  /** CMD_SYNC CS: no signal beyond CONS moving past the command. */
  public static final int CS_NONE = 0;

  /** CMD_SYNC CS: signal completion with an MSI write of MSIData to MSIAddr. */
  public static final int CS_IRQ = 1;

  /** CMD_SYNC CS: signal completion with a WFE wake-up event. */
  public static final int CS_SEV = 2;

  /** Shareability encoding: non-shareable. */
  public static final int SH_NSH = 0;

  /** Shareability encoding: outer shareable. */
  public static final int SH_OSH = 2;

  /** Shareability encoding: inner shareable. */
  public static final int SH_ISH = 3;

  /** MemAttr encoding: Device-nGnRE. */
  public static final int MEMATTR_DEVICE_NGNRE = 0x1;

  /** MemAttr encoding: Normal, inner and outer write-back cacheable. */
  public static final int MEMATTR_OIWB = 0xF;

  /** PRI_RESP response: the request is denied (invalid request). */
  public static final int PRI_DENY = 0;

  /** PRI_RESP response: the request failed (response failure). */
  public static final int PRI_FAIL = 1;

  /** PRI_RESP response: the pages are now available. */
  public static final int PRI_SUCCESS = 2;

  /** RESUME action: terminate the stalled transaction. */
  public static final int RESUME_TERMINATE = 0;

  /** RESUME action: retry the stalled transaction. */
  public static final int RESUME_RETRY = 1;

  /** RESUME action: abort the stalled transaction, reporting an abort to the client. */
  public static final int RESUME_ABORT = 2;

  /** CFGI_STE_RANGE Range value meaning every StreamID (the command called CFGI_ALL). */
  public static final int RANGE_ALL = 31;

  /** ATC_INV Size value meaning the whole ATC. */
  public static final int ATC_SIZE_ALL = 52;

  private Command(long[] qwords) {
    super(Opcode.layoutOf(qwords.length > 0 ? qwords[0] : 0), qwords);
  }

  /** Decodes an entry; every bit pattern is accepted. */
  public static Command decode(long qword0, long qword1) {
    return new Command(new long[] {qword0, qword1});
  }

  /**
   * A builder for {@code opcode} with the opcode field set and every other bit zero; it truncates
   * values to their field unless made {@link Builder#checked() checked}.
   */
  public static Builder<Command> builder(Opcode opcode) {
    return new Builder<>(opcode.layout(), Command::new).set(Opcode.FIELD, opcode.value());
  }

  /** A builder starting from this command's bits. */
  public Builder<Command> toBuilder() {
    return new Builder<>(layout(), Command::new, toQwords());
  }

  /**
   * Builds a command from text as a person types it: the opcode's {@link Opcode#specName()} and,
   * per field name of its layout (case-insensitive), a value written in decimal, in hex with a
   * {@code 0x} prefix, or as the name of an encoding ({@code CS=SIG_SEV}).
   *
   * @throws IllegalArgumentException naming the opcode or field if the opcode is unknown, a field
   *     is not part of the command (or is the opcode itself), a value does not parse, or a value
   *     does not fit its field
   */
  public static Command fromUserFields(String opcodeName, Map<String, String> fieldValues) {
    Opcode opcode = Opcode.fromName(opcodeName);
    if (opcode == null) {
      throw new IllegalArgumentException("unknown command opcode '" + opcodeName + "'");
    }
    Builder<Command> b = builder(opcode).checked();
    for (Map.Entry<String, String> e : fieldValues.entrySet()) {
      Field f = opcode.layout().field(e.getKey());
      if (f == null || f == Opcode.FIELD) {
        throw new IllegalArgumentException(
            opcode.specName()
                + " has no field '"
                + e.getKey()
                + "' (fields: "
                + fieldNames(opcode)
                + ")");
      }
      b.set(f, parseValue(opcode, f, e.getValue()));
    }
    return b.build();
  }

  private static long parseValue(Opcode opcode, Field field, String text) {
    String t = text.trim();
    if (field.names() != null && field.names().valueOf(t) >= 0) {
      return field.names().valueOf(t);
    }
    try {
      if (t.startsWith("0x") || t.startsWith("0X")) {
        return Long.parseUnsignedLong(t.substring(2), 16);
      }
      return Long.parseUnsignedLong(t);
    } catch (NumberFormatException ex) {
      throw new IllegalArgumentException(
          opcode.specName()
              + "."
              + field.name()
              + ": '"
              + text
              + "' is neither a number nor an encoding name",
          ex);
    }
  }

  private static String fieldNames(Opcode opcode) {
    List<String> names = new ArrayList<>();
    for (Field f : opcode.layout().fields()) {
      if (f != Opcode.FIELD) {
        names.add(f.name());
      }
    }
    return names.isEmpty() ? "none" : String.join(", ", names);
  }

  // ---- factories, one per command a driver issues ----

  /** PREFETCH_CONFIG for a stream without a substream. */
  public static Command prefetchConfig(int sid) {
    return builder(Opcode.PREFETCH_CONFIG).set(SID, sid).build();
  }

  /** PREFETCH_CONFIG for one substream of a stream (SSV = 1). */
  public static Command prefetchConfig(int sid, int ssid) {
    return builder(Opcode.PREFETCH_CONFIG).set(SID, sid).set(SSV, 1).set(SSID, ssid).build();
  }

  /**
   * PREFETCH_ADDR: prefetch translations for {@code 2^size} pages at {@code address}.
   *
   * @param ssv whether {@code ssid} is valid
   */
  public static Command prefetchAddr(int sid, boolean ssv, int ssid, long address, int size) {
    return builder(Opcode.PREFETCH_ADDR)
        .set(SID, sid)
        .set(SSV, ssv)
        .set(SSID, ssid)
        .set(PREFETCH_SIZE, size)
        .set(ADDR, address)
        .build();
  }

  /** CFGI_STE; {@code leaf = false} also drops a cached level-1 descriptor. */
  public static Command cfgiSte(int sid, boolean leaf) {
    return builder(Opcode.CFGI_STE).set(SID, sid).set(CFGI_LEAF, leaf).build();
  }

  /** CFGI_STE_RANGE for {@code 2^(range+1)} StreamIDs from {@code sid} aligned down. */
  public static Command cfgiSteRange(int sid, int range) {
    return builder(Opcode.CFGI_STE_RANGE).set(SID, sid).set(RANGE, range).build();
  }

  /** CFGI_ALL: CFGI_STE_RANGE with Range = 31, as drivers emit it. */
  public static Command cfgiAll() {
    return cfgiSteRange(0, RANGE_ALL);
  }

  /**
   * CFGI_CD for substream {@code ssid} of {@code sid}; the command has no SSV, so SSID 0 names the
   * stream's first CD. {@code leaf = false} also drops a cached L1CD.
   */
  public static Command cfgiCd(int sid, int ssid, boolean leaf) {
    return builder(Opcode.CFGI_CD).set(SID, sid).set(SSID, ssid).set(CFGI_LEAF, leaf).build();
  }

  /** CFGI_CD_ALL: every CD of {@code sid}. */
  public static Command cfgiCdAll(int sid) {
    return builder(Opcode.CFGI_CD_ALL).set(SID, sid).build();
  }

  /** TLBI_NH_ALL for a VMID. */
  public static Command tlbiNhAll(int vmid) {
    return builder(Opcode.TLBI_NH_ALL).set(VMID, vmid).build();
  }

  /** TLBI_NH_ASID for an ASID in a VMID. */
  public static Command tlbiNhAsid(int vmid, int asid) {
    return builder(Opcode.TLBI_NH_ASID).set(VMID, vmid).set(ASID, asid).build();
  }

  /** TLBI_NH_VA for an ASID in a VMID. */
  public static Command tlbiNhVa(int vmid, int asid, TlbiRange range) {
    return withRange(builder(Opcode.TLBI_NH_VA).set(VMID, vmid).set(ASID, asid), range, ADDR);
  }

  /** TLBI_NH_VAA for every ASID of a VMID. */
  public static Command tlbiNhVaa(int vmid, TlbiRange range) {
    return withRange(builder(Opcode.TLBI_NH_VAA).set(VMID, vmid), range, ADDR);
  }

  /** TLBI_EL2_ALL. */
  public static Command tlbiEl2All() {
    return builder(Opcode.TLBI_EL2_ALL).build();
  }

  /** TLBI_EL2_ASID. */
  public static Command tlbiEl2Asid(int asid) {
    return builder(Opcode.TLBI_EL2_ASID).set(ASID, asid).build();
  }

  /** TLBI_EL2_VA for an ASID. */
  public static Command tlbiEl2Va(int asid, TlbiRange range) {
    return withRange(builder(Opcode.TLBI_EL2_VA).set(ASID, asid), range, ADDR);
  }

  /** TLBI_EL2_VAA for every ASID. */
  public static Command tlbiEl2Vaa(TlbiRange range) {
    return withRange(builder(Opcode.TLBI_EL2_VAA), range, ADDR);
  }

  /** TLBI_EL3_ALL. */
  public static Command tlbiEl3All() {
    return builder(Opcode.TLBI_EL3_ALL).build();
  }

  /** TLBI_EL3_VA. */
  public static Command tlbiEl3Va(TlbiRange range) {
    return withRange(builder(Opcode.TLBI_EL3_VA), range, ADDR);
  }

  /** TLBI_S12_VMALL for a VMID. */
  public static Command tlbiS12Vmall(int vmid) {
    return builder(Opcode.TLBI_S12_VMALL).set(VMID, vmid).build();
  }

  /** TLBI_S2_IPA for a VMID; {@code range.address()} is the IPA (bits [51:12] encoded). */
  public static Command tlbiS2Ipa(int vmid, TlbiRange range) {
    return withRange(builder(Opcode.TLBI_S2_IPA).set(VMID, vmid), range, IPA);
  }

  /** TLBI_NSNH_ALL. */
  public static Command tlbiNsnhAll() {
    return builder(Opcode.TLBI_NSNH_ALL).build();
  }

  /**
   * ATC_INV of {@code 2^size} 4 KiB pages at {@code address} ({@link #ATC_SIZE_ALL} for all). SSV
   * is set iff {@code ssid != 0}: substream 0 means "no PASID", which hits every PASID's entries.
   *
   * @param global also hit entries marked global for every PASID (drivers leave it clear)
   */
  public static Command atcInv(int sid, int ssid, long address, int size, boolean global) {
    return builder(Opcode.ATC_INV)
        .set(GLOBAL, global)
        .set(SSV, ssid != 0)
        .set(SSID, ssid)
        .set(SID, sid)
        .set(ATC_SIZE, size)
        .set(ADDR, address)
        .build();
  }

  /**
   * PRI_RESP answering page request group {@code prgIndex}.
   *
   * @param response {@link #PRI_DENY}, {@link #PRI_FAIL} or {@link #PRI_SUCCESS}
   */
  public static Command priResp(int sid, boolean ssv, int ssid, int prgIndex, int response) {
    return builder(Opcode.PRI_RESP)
        .set(SSV, ssv)
        .set(SSID, ssid)
        .set(SID, sid)
        .set(PRG_INDEX, prgIndex)
        .set(PRI_RESPONSE, response)
        .build();
  }

  /**
   * RESUME of the transaction stalled with tag {@code stag}.
   *
   * @param action {@link #RESUME_TERMINATE}, {@link #RESUME_RETRY} or {@link #RESUME_ABORT}
   */
  public static Command resume(int sid, int stag, int action) {
    return builder(Opcode.RESUME).set(ACTION, action).set(SID, sid).set(STAG, stag).build();
  }

  /** STALL_TERM: terminate every stalled transaction of {@code sid}. */
  public static Command stallTerm(int sid) {
    return builder(Opcode.STALL_TERM).set(SID, sid).build();
  }

  /**
   * CMD_SYNC.
   *
   * @param cs {@link #CS_NONE}, {@link #CS_IRQ} (MSI write) or {@link #CS_SEV}
   * @param msh shareability of the MSI write ({@link #SH_ISH} etc.)
   * @param msiAttr memory attributes of the MSI write ({@link #MEMATTR_OIWB} etc.)
   * @param msiData the 32-bit value written
   * @param msiAddress the physical address written, 4-byte aligned (bits [51:2] encoded)
   */
  public static Command cmdSync(int cs, int msh, int msiAttr, int msiData, long msiAddress) {
    return builder(Opcode.CMD_SYNC)
        .set(CS, cs)
        .set(MSH, msh)
        .set(MSI_ATTR, msiAttr)
        .set(MSI_DATA, msiData)
        .set(MSI_ADDR, msiAddress)
        .build();
  }

  private static Command withRange(Builder<Command> b, TlbiRange r, Field addressField) {
    return b.set(NUM, r.num())
        .set(SCALE, r.scale())
        .set(TLBI_LEAF, r.leaf())
        .set(TTL, r.ttl())
        .set(TG, r.tg())
        .set(addressField, r.address())
        .build();
  }

  // ---- getters ----

  /** The architected opcode, or {@code null} if the opcode byte is reserved. */
  public Opcode opcode() {
    return Opcode.fromValue(opcodeValue());
  }

  /** The raw opcode byte. */
  public int opcodeValue() {
    return (int) get(Opcode.FIELD);
  }

  /** Whether the opcode is architected (any other makes the SMMU report CERROR_ILL). */
  public boolean isArchitected() {
    return opcode() != null;
  }

  /** Whether this command has {@code field} in its layout. */
  public boolean has(Field field) {
    return layout().contains(field);
  }

  /** SSec: the StreamID is Secure. */
  public boolean ssec() {
    return require(SSEC) != 0;
  }

  /** SSV: the SSID is valid. */
  public boolean ssv() {
    return require(SSV) != 0;
  }

  /** The SubstreamID (20 bits). */
  public int ssid() {
    return (int) require(SSID);
  }

  /** The StreamID (32 bits, unsigned). */
  public int sid() {
    return (int) require(SID);
  }

  /** TLBI VMID (16 bits). */
  public int vmid() {
    return (int) require(VMID);
  }

  /** TLBI ASID (16 bits). */
  public int asid() {
    return (int) require(ASID);
  }

  /** TLBI range NUM: blocks minus one. */
  public int num() {
    return (int) require(NUM);
  }

  /** TLBI range SCALE: log2 of the pages per block. */
  public int scale() {
    return (int) require(SCALE);
  }

  /** TLBI range granule encoding (0 = single address). */
  public int tg() {
    return (int) require(TG);
  }

  /** TLBI leaf-level hint (0 = none). */
  public int ttl() {
    return (int) require(TTL);
  }

  /** CFGI or TLBI Leaf bit. */
  public boolean leaf() {
    return require(has(CFGI_LEAF) ? CFGI_LEAF : TLBI_LEAF) != 0;
  }

  /**
   * The address in bytes with its low bits zero: Addr of the TLBI VA forms, PREFETCH_ADDR and
   * ATC_INV, or the IPA of TLBI_S2_IPA.
   */
  public long address() {
    return require(has(IPA) ? IPA : ADDR);
  }

  /** The address and range fields of a TLBI VA or IPA command. */
  public TlbiRange tlbiRange() {
    return new TlbiRange(address(), num(), scale(), tg(), ttl(), leaf());
  }

  /** CFGI_STE_RANGE Range: the command covers {@code 2^(range+1)} StreamIDs. */
  public int range() {
    return (int) require(RANGE);
  }

  /** Whether this is CFGI_STE_RANGE with Range = 31, i.e. CFGI_ALL. */
  public boolean isCfgiAll() {
    return opcode() == Opcode.CFGI_STE_RANGE && range() == RANGE_ALL;
  }

  /** Size of PREFETCH_ADDR or ATC_INV: log2 of the number of pages. */
  public int size() {
    return (int) require(has(ATC_SIZE) ? ATC_SIZE : PREFETCH_SIZE);
  }

  /** ATC_INV Global. */
  public boolean global() {
    return require(GLOBAL) != 0;
  }

  /** PRI_RESP page request group index. */
  public int prgIndex() {
    return (int) require(PRG_INDEX);
  }

  /** PRI_RESP response ({@link #PRI_DENY}, {@link #PRI_FAIL}, {@link #PRI_SUCCESS}). */
  public int priResponse() {
    return (int) require(PRI_RESPONSE);
  }

  /** RESUME action ({@link #RESUME_TERMINATE}, {@link #RESUME_RETRY}, {@link #RESUME_ABORT}). */
  public int resumeAction() {
    return (int) require(ACTION);
  }

  /** RESUME stall tag. */
  public int stag() {
    return (int) require(STAG);
  }

  /** CMD_SYNC completion signal ({@link #CS_NONE}, {@link #CS_IRQ}, {@link #CS_SEV}). */
  public int cs() {
    return (int) require(CS);
  }

  /** CMD_SYNC MSI shareability. */
  public int msh() {
    return (int) require(MSH);
  }

  /** CMD_SYNC MSI memory attributes. */
  public int msiAttr() {
    return (int) require(MSI_ATTR);
  }

  /** CMD_SYNC MSI payload (32 bits). */
  public int msiData() {
    return (int) require(MSI_DATA);
  }

  /** CMD_SYNC MSI address in bytes (bits [51:2]). */
  public long msiAddress() {
    return require(MSI_ADDR);
  }

  private long require(Field field) {
    if (!has(field)) {
      throw new IllegalStateException(layout().name() + " has no field " + field.name());
    }
    return get(field);
  }

  /**
   * The command's name followed by its non-zero fields, opcode excluded, and any set bit outside
   * them as {@code q<n>.reserved}: {@code "CMD_SYNC CS=SIG_SEV MSH=ISH MSIAttr=Normal-OWB-IWB"}; a
   * reserved opcode prints as {@code "reserved(0x07) q1.reserved=0x1"}.
   */
  @Override
  public String describe() {
    return layout().name() + layout().describeFields(toQwords(), Opcode.FIELD);
  }
}
