package org.smmulab.driver.invs;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Comparator;
import java.util.Objects;
import org.smmulab.arch.cmd.Opcode;

/**
 * One entry of an {@link InvalidationArray} (Linux {@code struct arm_smmu_inv}): which SMMU
 * instance, which kind of invalidation, which tag, and how many attachments need it.
 *
 * <p>Everything but {@link #users()} is immutable. {@code users} is written in place only by {@link
 * InvalidationArray#unref} while the invalidation walker may be reading it, so that one write is an
 * opaque store and the walker's read is an opaque load; {@code merge} and {@code purge} fill brand
 * new entries with plain writes before the array is published. An entry with {@code users == 0} in
 * an array is "trash": it stays in place until the next merge or purge and the walker skips it. In
 * a per-master list passed to merge the field is ignored on input; unref writes 1 ("still used") or
 * 0 ("this entry died") back into the list it is given.
 */
public final class Invalidation {
  private static final VarHandle USERS;

  static {
    try {
      USERS = MethodHandles.lookup().findVarHandle(Invalidation.class, "users", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /**
   * The sort order (Linux {@code arm_smmu_inv_cmp}): SMMU instance, type, id (unsigned), then the
   * substream ID only when the left entry is an ATS type. Users, opcodes and page size are not
   * keys.
   */
  public static final Comparator<Invalidation> ORDER = Invalidation::compare;

  private final SmmuId smmu;
  private final InvalidationType type;
  private final Opcode sizeOpcode;
  private final Opcode nsizeOpcode;
  private final int id;
  private final int pgsizeShift;
  private final int ssid;

  /** Accessed plainly while unpublished or by the tag-lock holder; see the class comment. */
  private int users;

  /**
   * Creates an entry with {@code users == 0}.
   *
   * @param smmu the instance whose command queue receives the commands
   * @param type the kind of invalidation
   * @param sizeOpcode the opcode of a ranged invalidation
   * @param nsizeOpcode the opcode of an "everything for this tag" invalidation
   * @param id ASID for S1_ASID, VMID for the S2 types, StreamID for the ATS types (unsigned 32 bit)
   * @param pgsizeShift log2 of the domain's smallest page size when range invalidation is in use,
   *     else 0; must be 0 for ATS types
   * @param ssid the substream ID (PASID, 0 for none, 20 bits) of an ATS type; must be 0 for TLBI
   *     types
   * @throws IllegalArgumentException naming the field if a value does not belong to the type: an
   *     opcode other than the type's (see the factories), an ASID or VMID wider than 16 bits, a
   *     substream ID wider than 20 bits, a page size on an ATS type or a substream ID on a TLBI
   *     type. The walker relies on these checks: it can always encode the commands of an entry.
   */
  public Invalidation(
      SmmuId smmu,
      InvalidationType type,
      Opcode sizeOpcode,
      Opcode nsizeOpcode,
      int id,
      int pgsizeShift,
      int ssid) {
    this.smmu = Objects.requireNonNull(smmu, "smmu");
    this.type = Objects.requireNonNull(type, "type");
    this.sizeOpcode = Objects.requireNonNull(sizeOpcode, "sizeOpcode");
    this.nsizeOpcode = Objects.requireNonNull(nsizeOpcode, "nsizeOpcode");
    if (pgsizeShift < 0 || pgsizeShift > 63) {
      throw new IllegalArgumentException(
          "pgsizeShift " + pgsizeShift + " of " + type + " is not a shift of 0..63");
    }
    if (type.isAts() && pgsizeShift != 0) {
      throw new IllegalArgumentException(type + " id " + id + " carries no page size");
    }
    if (!type.isAts() && ssid != 0) {
      throw new IllegalArgumentException(type + " id " + id + " carries no substream ID");
    }
    if (!type.isAts() && (id & ~0xFFFF) != 0) {
      throw new IllegalArgumentException(
          type + " id " + Integer.toUnsignedString(id) + " does not fit a 16-bit ASID or VMID");
    }
    if (type.isAts() && (ssid & ~0xF_FFFF) != 0) {
      throw new IllegalArgumentException(
          type
              + " id "
              + Integer.toUnsignedString(id)
              + ": substream ID "
              + Integer.toUnsignedString(ssid)
              + " does not fit 20 bits");
    }
    if (!opcodesFit(type, sizeOpcode, nsizeOpcode)) {
      throw new IllegalArgumentException(
          type + " id " + id + " cannot use opcodes " + sizeOpcode + " / " + nsizeOpcode);
    }
    this.id = id;
    this.pgsizeShift = pgsizeShift;
    this.ssid = ssid;
  }

  /** The opcode pairs each type's commands use (the factories below). */
  private static boolean opcodesFit(InvalidationType type, Opcode size, Opcode nsize) {
    return switch (type) {
      case S1_ASID ->
          (size == Opcode.TLBI_NH_VA && nsize == Opcode.TLBI_NH_ASID)
              || (size == Opcode.TLBI_EL2_VA && nsize == Opcode.TLBI_EL2_ASID);
      case S2_VMID, S2_VMID_VSMMU -> size == Opcode.TLBI_S2_IPA && nsize == Opcode.TLBI_S12_VMALL;
      case S2_VMID_S1_CLEAR -> size == Opcode.TLBI_NH_ALL && nsize == Opcode.TLBI_NH_ALL;
      case ATS, ATS_FULL -> size == Opcode.ATC_INV && nsize == Opcode.ATC_INV;
    };
  }

  /**
   * A stage-1 TLB invalidation by ASID.
   *
   * @param e2h whether the SMMU runs stage 1 at EL2 (E2H): selects TLBI_EL2_VA / TLBI_EL2_ASID
   *     instead of TLBI_NH_VA / TLBI_NH_ASID
   */
  public static Invalidation s1Asid(SmmuId smmu, int asid, int pgsizeShift, boolean e2h) {
    return e2h
        ? new Invalidation(
            smmu,
            InvalidationType.S1_ASID,
            Opcode.TLBI_EL2_VA,
            Opcode.TLBI_EL2_ASID,
            asid,
            pgsizeShift,
            0)
        : new Invalidation(
            smmu,
            InvalidationType.S1_ASID,
            Opcode.TLBI_NH_VA,
            Opcode.TLBI_NH_ASID,
            asid,
            pgsizeShift,
            0);
  }

  /** A stage-2 TLB invalidation by VMID: TLBI_S2_IPA / TLBI_S12_VMALL. */
  public static Invalidation s2Vmid(SmmuId smmu, int vmid, int pgsizeShift) {
    return new Invalidation(
        smmu,
        InvalidationType.S2_VMID,
        Opcode.TLBI_S2_IPA,
        Opcode.TLBI_S12_VMALL,
        vmid,
        pgsizeShift,
        0);
  }

  /** A stage-2 TLB invalidation by a vSMMU-owned VMID: TLBI_S2_IPA / TLBI_S12_VMALL. */
  public static Invalidation s2VmidVsmmu(SmmuId smmu, int vmid, int pgsizeShift) {
    return new Invalidation(
        smmu,
        InvalidationType.S2_VMID_VSMMU,
        Opcode.TLBI_S2_IPA,
        Opcode.TLBI_S12_VMALL,
        vmid,
        pgsizeShift,
        0);
  }

  /** The nesting parent's clear of all guest stage-1 entries of a VMID: TLBI_NH_ALL for both. */
  public static Invalidation s2VmidS1Clear(SmmuId smmu, int vmid) {
    return new Invalidation(
        smmu,
        InvalidationType.S2_VMID_S1_CLEAR,
        Opcode.TLBI_NH_ALL,
        Opcode.TLBI_NH_ALL,
        vmid,
        0,
        0);
  }

  /** A ranged ATC invalidation of one StreamID and substream ID (0 = no PASID): ATC_INV. */
  public static Invalidation ats(SmmuId smmu, int sid, int ssid) {
    return new Invalidation(
        smmu, InvalidationType.ATS, Opcode.ATC_INV, Opcode.ATC_INV, sid, 0, ssid);
  }

  /** A whole-ATC invalidation of one StreamID, any PASID: ATC_INV. */
  public static Invalidation atsFull(SmmuId smmu, int sid, int ssid) {
    return new Invalidation(
        smmu, InvalidationType.ATS_FULL, Opcode.ATC_INV, Opcode.ATC_INV, sid, 0, ssid);
  }

  /** A fresh, unpublished copy of this entry with the given user count (plain write). */
  Invalidation copyWithUsers(int newUsers) {
    Invalidation copy =
        new Invalidation(smmu, type, sizeOpcode, nsizeOpcode, id, pgsizeShift, ssid);
    copy.users = newUsers;
    return copy;
  }

  /** The instance whose queue receives this entry's commands. */
  public SmmuId smmu() {
    return smmu;
  }

  /** The kind of invalidation. */
  public InvalidationType type() {
    return type;
  }

  /** The opcode of a ranged invalidation (Linux {@code size_opcode}). */
  public Opcode sizeOpcode() {
    return sizeOpcode;
  }

  /** The opcode of an invalidation of everything the tag covers (Linux {@code nsize_opcode}). */
  public Opcode nsizeOpcode() {
    return nsizeOpcode;
  }

  /** ASID, VMID or StreamID, depending on the type; an unsigned 32-bit value. */
  public int id() {
    return id;
  }

  /** log2 of the smallest page size for range invalidation (TLBI types), else 0. */
  public int pgsizeShift() {
    return pgsizeShift;
  }

  /** The substream ID of an ATS type (0 = no PASID); 0 for TLBI types. */
  public int ssid() {
    return ssid;
  }

  /**
   * The number of attachments that need this entry, read with an opaque load: safe from any thread
   * at any time. 0 in an array means trash.
   */
  public int users() {
    return (int) USERS.getOpaque(this);
  }

  /** Plain read for the tag-lock holder, who is the only writer. */
  int usersPlain() {
    return users;
  }

  /** Plain write, for entries no other thread can see (unpublished, or a per-master list). */
  void setUsersPlain(int value) {
    users = value;
  }

  /**
   * Opaque write of an entry in a possibly published array: the walker reads the field
   * concurrently, so the store must be single-copy atomic and not be elided or reordered away.
   */
  void setUsersOpaque(int value) {
    USERS.setOpaque(this, value);
  }

  /** Compares by the sort order {@link #ORDER}. */
  public static int compare(Invalidation l, Invalidation r) {
    int c = l.smmu.compareTo(r.smmu);
    if (c != 0) {
      return c;
    }
    c = l.type.compareTo(r.type);
    if (c != 0) {
      return c;
    }
    c = Integer.compareUnsigned(l.id, r.id);
    if (c != 0 || !l.type.isAts()) {
      return c;
    }
    return Integer.compareUnsigned(l.ssid, r.ssid);
  }

  /** E.g. {@code smmu0 ATS id=10 ssid=3 users=1}. */
  @Override
  public String toString() {
    StringBuilder sb =
        new StringBuilder()
            .append(smmu)
            .append(' ')
            .append(type)
            .append(" id=")
            .append(Integer.toUnsignedString(id));
    if (type.isAts()) {
      sb.append(" ssid=").append(Integer.toUnsignedString(ssid));
    } else if (pgsizeShift != 0) {
      sb.append(" pgsize=2^").append(pgsizeShift);
    }
    return sb.append(" users=").append(users()).toString();
  }
}
