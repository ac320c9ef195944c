package org.smmulab.driver.tlbi;

import static org.smmulab.arch.cmd.CommandFields.ADDR;
import static org.smmulab.arch.cmd.CommandFields.ASID;
import static org.smmulab.arch.cmd.CommandFields.IPA;
import static org.smmulab.arch.cmd.CommandFields.NUM;
import static org.smmulab.arch.cmd.CommandFields.SCALE;
import static org.smmulab.arch.cmd.CommandFields.TG;
import static org.smmulab.arch.cmd.CommandFields.TLBI_LEAF;
import static org.smmulab.arch.cmd.CommandFields.TTL;
import static org.smmulab.arch.cmd.CommandFields.VMID;

import java.util.Arrays;
import org.smmulab.arch.cmd.CommandBatch;
import org.smmulab.arch.cmd.Opcode;
import org.smmulab.arch.codec.Field;
import org.smmulab.arch.pte.Granule;

/**
 * The address part of the TLBI commands that invalidate one range, worked out once and then stamped
 * with each tag that needs it: an invalidation walk asks every ASID and VMID of a domain for the
 * same range, and only the opcode and the tag differ between their commands. The splitting rules
 * are those of {@link TlbiRangeBuilder}.
 *
 * <p>A plan is mutable and reusable: {@link #plan} replaces the previous content without allocating
 * once the buffers have grown to the largest range seen. Not thread-safe; one thread owns a plan
 * (the walker keeps one per thread).
 */
public final class TlbiRangePlan {
  /** The largest encodable SCALE and NUM field values. */
  private static final int FIELD_MAX = 31;

  /** Why the last {@link #plan} failed, for {@link #failure()}. */
  private enum Failure {
    NONE,
    BAD_TG,
    BAD_GRANULE,
    NOT_A_LEVEL,
    RESERVED_TTL,
    MISALIGNED,
    PASSES_END,
    SCALE_TOO_BIG
  }

  /** Per command: NUM and SCALE in place in qword 0. */
  private long[] rangeBits = new long[4];

  /** Per command: Leaf, TTL, TG and the address in place in qword 1. */
  private long[] addressQwords = new long[4];

  private int count;
  private long lastAddress;
  private Failure failure = Failure.NONE;
  private long iova;
  private long size;
  private long granule;
  private int tg;
  private boolean leaf;
  private int failedScale;

  /**
   * Works out the commands for {@code [iova, iova + size)} under the rules of {@link
   * TlbiRangeBuilder#commands}, replacing the previous plan. Never throws: an input those rules
   * refuse leaves the plan empty and returns false, and {@link #failure()} says why. The caller
   * then invalidates the whole tag instead.
   *
   * @param rangeSupported whether the SMMU implements range invalidation (IDR3.RIL)
   * @return whether the range can be expressed
   */
  public boolean plan(
      boolean rangeSupported, long iova, long size, long granule, int tg, boolean leaf) {
    this.iova = iova;
    this.size = size;
    this.granule = granule;
    this.tg = tg;
    this.leaf = leaf;
    count = 0;
    failure = check(iova, size, granule, tg, leaf);
    if (failure != Failure.NONE) {
      return false;
    }
    if (rangeSupported) {
      planRanges(iova, size, tg, leaf ? levelOf(tg, granule) : 0, leaf);
    } else {
      planSingles(iova, size, granule, leaf);
    }
    if (failure != Failure.NONE) {
      count = 0;
      return false;
    }
    return true;
  }

  private static Failure check(long iova, long size, long granule, int tg, boolean leaf) {
    if (tg != 12 && tg != 14 && tg != 16) {
      return Failure.BAD_TG;
    }
    if (!isGranule(granule)) {
      return Failure.BAD_GRANULE;
    }
    if (leaf) {
      int level = levelOf(tg, granule);
      if (level == 0) {
        return Failure.NOT_A_LEVEL;
      }
      if (tg == 14 && level == 1) {
        return Failure.RESERVED_TTL;
      }
    }
    long alignment = leaf ? Math.max(granule, 1L << tg) : 1L << tg;
    if (size == 0 || (iova & (alignment - 1)) != 0 || (size & (alignment - 1)) != 0) {
      return Failure.MISALIGNED;
    }
    if (Long.compareUnsigned(iova, -size) >= 0) {
      return Failure.PASSES_END;
    }
    return Failure.NONE;
  }

  private void planSingles(long start, long bytes, long step, boolean leaf) {
    long n = Long.divideUnsigned(bytes, step) + ((bytes & (step - 1)) != 0 ? 1 : 0);
    long leafBit = TLBI_LEAF.insert(0, leaf ? 1 : 0);
    for (long i = 0; i < n; i++) {
      long address = start + i * step;
      add(0, leafBit | (address & ADDR.mask()), address);
    }
  }

  private void planRanges(long start, long bytes, int pageShift, int ttl, boolean leaf) {
    long pages = bytes >>> pageShift;
    if (!leaf && (pages & FIELD_MAX) == 1) {
      pages++;
    }
    long fixed =
        TLBI_LEAF.insert(0, leaf ? 1 : 0)
            | TTL.insert(0, ttl)
            | TG.insert(0, Granule.ofSize(1L << pageShift).tlbiEncoding());
    long address = start;
    while (pages != 0) {
      int scale = Long.numberOfTrailingZeros(pages);
      if (scale > FIELD_MAX) {
        failure = Failure.SCALE_TOO_BIG;
        failedScale = scale;
        return;
      }
      long blocks = (pages >>> scale) & FIELD_MAX;
      add(
          NUM.insert(0, blocks - 1) | SCALE.insert(0, scale),
          fixed | (address & ADDR.mask()),
          address);
      address += blocks << (scale + pageShift);
      pages -= blocks << scale;
    }
  }

  private void add(long q0, long q1, long address) {
    if (count == rangeBits.length) {
      rangeBits = Arrays.copyOf(rangeBits, 2 * count);
      addressQwords = Arrays.copyOf(addressQwords, 2 * count);
    }
    rangeBits[count] = q0;
    addressQwords[count] = q1;
    count++;
    lastAddress = address;
  }

  /** The number of commands per tag (0 after a failed plan). */
  public int size() {
    return count;
  }

  /**
   * Why the last {@link #plan} returned false, naming the offending argument (the message {@link
   * TlbiRangeBuilder#commands} throws), or {@code null} if it succeeded.
   */
  public String failure() {
    return switch (failure) {
      case NONE -> null;
      case BAD_TG -> "tg " + tg + " is not 12, 14 or 16";
      case BAD_GRANULE ->
          String.format("granule 0x%x is not a power of two of at least 4 KiB", granule);
      case NOT_A_LEVEL ->
          String.format(
              "leaf granule 0x%x is not the entry size of level 1, 2 or 3 with %s pages",
              granule, Granule.ofSize(1L << tg));
      case RESERVED_TTL ->
          "granule 0x" + Long.toHexString(granule) + ": TTL 1 is reserved with 16K pages";
      case MISALIGNED ->
          String.format(
              "range 0x%x+0x%x: start and size must be non-zero multiples of 0x%x",
              iova, size, leaf ? Math.max(granule, 1L << tg) : 1L << tg);
      case PASSES_END ->
          String.format("range 0x%x+0x%x passes the end of the address space", iova, size);
      case SCALE_TOO_BIG ->
          String.format(
              "range 0x%x+0x%x needs SCALE %d, above %d: invalidate the whole tag instead",
              iova, size, failedScale, FIELD_MAX);
    };
  }

  /**
   * Whether every planned address fits the address field of {@code opcode}: TLBI_S2_IPA keeps IPA
   * bits [51:12] only, the VA forms bits [63:12].
   */
  public boolean fits(Opcode opcode) {
    return count == 0 || addressField(opcode).fits(lastAddress);
  }

  /**
   * Appends the planned commands for one tag to {@code out}, in ascending address order; appends
   * nothing and returns false if an address does not fit the opcode's address field ({@link
   * #fits}). Tags the opcode does not carry are ignored.
   *
   * @param opcode one of the address forms: TLBI_NH_VA, TLBI_NH_VAA, TLBI_EL2_VA, TLBI_EL2_VAA,
   *     TLBI_EL3_VA or TLBI_S2_IPA
   * @param vmid the VMID (16 bits) for the NH and S2 forms
   * @param asid the ASID (16 bits) for the NH_VA and EL2_VA forms
   * @throws IllegalArgumentException if the opcode has no address or a tag exceeds 16 bits
   */
  public boolean appendTo(Opcode opcode, int vmid, int asid, CommandBatch out) {
    if ((vmid & ~0xFFFF) != 0 || (asid & ~0xFFFF) != 0) {
      throw new IllegalArgumentException(
          opcode + ": VMID " + vmid + " and ASID " + asid + " must both fit 16 bits");
    }
    long tags =
        switch (opcode) {
          case TLBI_NH_VA -> VMID.insert(0, vmid) | ASID.insert(0, asid);
          case TLBI_NH_VAA, TLBI_S2_IPA -> VMID.insert(0, vmid);
          case TLBI_EL2_VA -> ASID.insert(0, asid);
          case TLBI_EL2_VAA, TLBI_EL3_VA -> 0;
          default -> throw notAnAddressForm(opcode);
        };
    if (!fits(opcode)) {
      return false;
    }
    long q0 = Opcode.FIELD.insert(tags, opcode.value());
    for (int i = 0; i < count; i++) {
      out.add(q0 | rangeBits[i], addressQwords[i]);
    }
    return true;
  }

  private static Field addressField(Opcode opcode) {
    return opcode == Opcode.TLBI_S2_IPA ? IPA : ADDR;
  }

  static IllegalArgumentException notAnAddressForm(Opcode opcode) {
    return new IllegalArgumentException(
        opcode
            + " is not an address-based TLBI (expected one of TLBI_NH_VA, TLBI_NH_VAA,"
            + " TLBI_EL2_VA, TLBI_EL2_VAA, TLBI_EL3_VA, TLBI_S2_IPA)");
  }

  static boolean isGranule(long granule) {
    return Long.bitCount(granule) == 1
        && Long.compareUnsigned(granule, Granule.SIZE_4K.size()) >= 0;
  }

  /** The level (1..3) whose entries are {@code granule} bytes with {@code 2^tg} pages, else 0. */
  private static int levelOf(int tg, long granule) {
    Granule page = Granule.ofSize(1L << tg);
    for (int level = 1; level <= 3; level++) {
      if (page.levelSize(level) == granule) {
        return level;
      }
    }
    return 0;
  }
}
