package org.smmulab.driver.entry;

import org.smmulab.arch.cd.Cd;
import org.smmulab.arch.cd.CdFields;
import org.smmulab.arch.codec.Field;
import org.smmulab.arch.ste.Ste;
import org.smmulab.arch.ste.SteFields;

/**
 * The two kinds of 64-byte entry the writer updates, each with its used-bits function and its
 * update-safe function (a CD has no update-safe bits).
 */
public enum EntryKind {
  /** A Stream Table Entry. */
  STE(SteFields.V) {
    @Override
    public long[] usedBits(long[] entry) {
      return UsedBits.ste(entry);
    }

    @Override
    public long[] updateSafe(long[] current, long[] target) {
      return UsedBits.steUpdateSafe(current, target);
    }

    @Override
    public String describe(long[] entry) {
      return Ste.decode(entry.clone()).describe();
    }
  },

  /** A Context Descriptor. */
  CD(CdFields.V) {
    @Override
    public long[] usedBits(long[] entry) {
      return UsedBits.cd(entry);
    }

    @Override
    public long[] updateSafe(long[] current, long[] target) {
      UsedBits.checkLength(current, "current");
      UsedBits.checkLength(target, "target");
      return new long[UsedBits.QWORDS];
    }

    @Override
    public String describe(long[] entry) {
      return Cd.decode(entry.clone()).describe();
    }
  };

  private final Field valid;

  EntryKind(Field valid) {
    this.valid = valid;
  }

  /** The valid bit of this kind of entry (STE q0[0], CD q0[31]). */
  public Field validField() {
    return valid;
  }

  /** The bits the SMMU reads from {@code entry} (eight qwords in, a fresh eight-qword mask out). */
  public abstract long[] usedBits(long[] entry);

  /**
   * The bits that may change in place between {@code current} and {@code target} even though both
   * read them (eight qwords each, fresh mask out; all zero for a CD).
   */
  public abstract long[] updateSafe(long[] current, long[] target);

  /** The entry decoded field by field (eight qwords), as the arch codec prints it. */
  public abstract String describe(long[] entry);
}
