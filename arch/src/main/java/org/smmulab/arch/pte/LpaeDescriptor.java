package org.smmulab.arch.pte;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.smmulab.arch.codec.Field;
import org.smmulab.arch.codec.Layout;
import org.smmulab.arch.codec.QwordImage;
import org.smmulab.arch.codec.ValueNames;

/**
 * One VMSAv8-64 translation table descriptor (8 bytes), read in its context: stage, level (0..3)
 * and granule decide whether bits [1:0] mean invalid, table, block, page or reserved, and where the
 * output address sits.
 *
 * <p>Output and next-table addresses occupy bits [47:granule shift] in place; with the 64K granule,
 * address bits [51:48] are held in descriptor bits [15:12]. Field constants are public so that the
 * driver's io-pgtable and the hardware walker share one definition of every bit.
 */
public final class LpaeDescriptor extends QwordImage {
  /** Bit 0: the descriptor is valid. */
  public static final Field VALID = Field.bit("V", 0, 0);

  /** Bit 1: table (levels 0-2) or page (level 3) when set; block when clear. */
  public static final Field TABLE_OR_PAGE = Field.bit("T", 0, 1);

  /** Stage 1: MAIR index. */
  public static final Field ATTR_INDX = Field.of("AttrIndx", 0, 4, 2);

  /** Stage 1: non-secure output. */
  public static final Field NS = Field.bit("NS", 0, 5);

  /** Stage 1: AP[1], 1 = EL0 (unprivileged) access allowed. */
  public static final Field AP_UNPRIV = Field.bit("AP1.EL0", 0, 6);

  /** Stage 1: AP[2], 1 = read-only. */
  public static final Field AP_RDONLY = Field.bit("AP2.RO", 0, 7);

  /** Stage 2: memory attributes. */
  public static final Field MEM_ATTR = Field.of("MemAttr", 0, 5, 2);

  /** Stage 2: S2AP[0], read allowed. */
  public static final Field S2AP_READ = Field.bit("S2AP.R", 0, 6);

  /** Stage 2: S2AP[1], write allowed. */
  public static final Field S2AP_WRITE = Field.bit("S2AP.W", 0, 7);

  /** Shareability names: 0 non, 2 outer, 3 inner. */
  public static final ValueNames SHAREABILITY = ValueNames.of(0, "non", 2, "outer", 3, "inner");

  /** Shareability. */
  public static final Field SH = Field.of("SH", 0, 9, 8).withNames(SHAREABILITY);

  /** Access flag. */
  public static final Field AF = Field.bit("AF", 0, 10);

  /** Stage 1: not global (ASID-tagged). */
  public static final Field NG = Field.bit("nG", 0, 11);

  /** Stage 2: FnXS (not used by the model). */
  public static final Field FNXS = Field.bit("FnXS", 0, 11);

  /** 64K granule: output/table address bits [51:48], held in descriptor bits [15:12]. */
  public static final Field OA_HIGH_64K = Field.of("OA[51:48]", 0, 15, 12);

  /** Dirty bit modifier. */
  public static final Field DBM = Field.bit("DBM", 0, 51);

  /** Contiguous hint. */
  public static final Field CONTIGUOUS = Field.bit("Cont", 0, 52);

  /** Stage 1: privileged execute never. */
  public static final Field PXN = Field.bit("PXN", 0, 53);

  /** Stage 1: unprivileged execute never. */
  public static final Field UXN = Field.bit("UXN", 0, 54);

  /** Stage 2: XN[1:0] (bits 54:53). */
  public static final Field S2_XN = Field.of("XN", 0, 54, 53);

  /** Software-defined bits [58:55], ignored by hardware. */
  public static final Field SOFTWARE = Field.of("SW", 0, 58, 55);

  /** Table: privileged execute never for everything below. */
  public static final Field PXN_TABLE = Field.bit("PXNTable", 0, 59);

  /** Table: unprivileged execute never for everything below. */
  public static final Field UXN_TABLE = Field.bit("UXNTable", 0, 60);

  /** Table: APTable[1:0] (bit 61 no EL0 access below, bit 62 no write below). */
  public static final Field AP_TABLE = Field.of("APTable", 0, 62, 61);

  /** Table: NSTable. */
  public static final Field NS_TABLE = Field.bit("NSTable", 0, 63);

  /** The kind of a descriptor at a given level. */
  public enum Kind {
    INVALID,
    TABLE,
    BLOCK,
    PAGE,
    /** Bits [1:0] = 01 at level 3, or a block at a level where the granule allows none. */
    RESERVED
  }

  private static final Map<Granule, Field> ADDRESS = new EnumMap<>(Granule.class);
  private static final Map<Granule, Layout[]> LAYOUTS = new EnumMap<>(Granule.class);

  static {
    for (Granule g : Granule.values()) {
      ADDRESS.put(g, Field.address("OA", 0, 47, g.shift()));
    }
    for (Granule g : Granule.values()) {
      Field oa = ADDRESS.get(g);
      Field hi = g == Granule.SIZE_64K ? OA_HIGH_64K : null;
      LAYOUTS.put(
          g,
          new Layout[] {
            layout("invalid", List.of(VALID)),
            layout(
                "table",
                withHigh(hi, VALID, TABLE_OR_PAGE, oa, PXN_TABLE, UXN_TABLE, AP_TABLE, NS_TABLE)),
            layout(
                "S1 leaf",
                withHigh(
                    hi,
                    VALID,
                    TABLE_OR_PAGE,
                    ATTR_INDX,
                    NS,
                    AP_UNPRIV,
                    AP_RDONLY,
                    SH,
                    AF,
                    NG,
                    oa,
                    DBM,
                    CONTIGUOUS,
                    PXN,
                    UXN,
                    SOFTWARE)),
            layout(
                "S2 leaf",
                withHigh(
                    hi,
                    VALID,
                    TABLE_OR_PAGE,
                    MEM_ATTR,
                    S2AP_READ,
                    S2AP_WRITE,
                    SH,
                    AF,
                    FNXS,
                    oa,
                    DBM,
                    CONTIGUOUS,
                    S2_XN,
                    SOFTWARE))
          });
    }
  }

  private static List<Field> withHigh(Field high, Field... fields) {
    List<Field> out = new ArrayList<>(List.of(fields));
    if (high != null) {
      out.add(high);
    }
    return out;
  }

  private static Layout layout(String name, List<Field> fields) {
    return new Layout("PTE " + name, 1, fields);
  }

  private final Stage stage;
  private final int level;
  private final Granule granule;

  private LpaeDescriptor(long raw, Stage stage, int level, Granule granule) {
    super(layoutFor(raw, stage, level, granule), new long[] {raw});
    this.stage = stage;
    this.level = level;
    this.granule = granule;
  }

  private static Layout layoutFor(long raw, Stage stage, int level, Granule granule) {
    Layout[] l = LAYOUTS.get(granule);
    switch (kindOf(raw, level, granule)) {
      case TABLE:
        return l[1];
      case BLOCK:
      case PAGE:
        return stage == Stage.STAGE_1 ? l[2] : l[3];
      default:
        return l[0];
    }
  }

  /**
   * Decodes {@code raw} as found at {@code level} of a {@code stage} table with {@code granule};
   * every bit pattern is accepted.
   *
   * @throws IllegalArgumentException if {@code level} is not 0..3
   */
  public static LpaeDescriptor decode(long raw, Stage stage, int level, Granule granule) {
    if (level < 0 || level > 3) {
      throw new IllegalArgumentException("level must be 0..3, got " + level);
    }
    return new LpaeDescriptor(raw, stage, level, granule);
  }

  /** The kind of {@code raw} at {@code level}: the rule a table walker applies to bits [1:0]. */
  public static Kind kindOf(long raw, int level, Granule granule) {
    if ((raw & 1) == 0) {
      return Kind.INVALID;
    }
    boolean bit1 = (raw & 2) != 0;
    if (level == 3) {
      return bit1 ? Kind.PAGE : Kind.RESERVED;
    }
    if (bit1) {
      return Kind.TABLE;
    }
    return granule.blockAllowed(level) ? Kind.BLOCK : Kind.RESERVED;
  }

  /** The output (or next-table) address of {@code raw}, including bits [51:48] for 64K. */
  public static long address(long raw, Granule granule) {
    long a = ADDRESS.get(granule).extract(raw);
    if (granule == Granule.SIZE_64K) {
      a |= OA_HIGH_64K.extract(raw) << 48;
    }
    return a;
  }

  /**
   * {@code raw} with its address bits replaced by {@code pa}: bits [47:shift] in place, and for 64K
   * bits [51:48] moved to [15:12]. Low bits of {@code pa} below the granule are dropped.
   */
  public static long withAddress(long raw, long pa, Granule granule) {
    long r = ADDRESS.get(granule).insert(raw, pa);
    if (granule == Granule.SIZE_64K) {
      r = OA_HIGH_64K.insert(r, pa >>> 48);
    }
    return r;
  }

  /** The descriptor kind at its level. */
  public Kind kind() {
    return kindOf(raw(), level, granule);
  }

  /** The output or next-table address. */
  public long address() {
    return address(raw(), granule);
  }

  public long raw() {
    return qword(0);
  }

  public Stage stage() {
    return stage;
  }

  public int level() {
    return level;
  }

  public Granule granule() {
    return granule;
  }

  /** Bytes mapped by this descriptor if it is a leaf. */
  public long leafSize() {
    return granule.levelSize(level);
  }

  @Override
  public String describe() {
    String head = (stage == Stage.STAGE_1 ? "S1" : "S2") + " L" + level + " " + granule + " ";
    return head + kind().name().toLowerCase() + ": " + super.describe();
  }
}
