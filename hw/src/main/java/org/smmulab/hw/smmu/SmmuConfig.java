package org.smmulab.hw.smmu;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import org.smmulab.arch.pte.AddressSize;
import org.smmulab.arch.pte.Granule;
import org.smmulab.arch.regs.Idr0;
import org.smmulab.arch.regs.Idr1;
import org.smmulab.arch.regs.Idr3;
import org.smmulab.arch.regs.Idr5;

/**
 * Everything that makes one SMMU instance what it is: the features its ID registers advertise and
 * the model knobs that decide how aggressively its caches behave. Immutable; build one with {@link
 * #builder()} or start from a preset in {@link SmmuPresets}.
 *
 * @param stage1 IDR0.S1P
 * @param stage2 IDR0.S2P
 * @param asid16 IDR0.ASID16: 16-bit ASIDs, else 8
 * @param vmid16 IDR0.VMID16: 16-bit VMIDs, else 8
 * @param ats IDR0.ATS
 * @param pri IDR0.PRI
 * @param msi IDR0.MSI: MSI generation, including the CMD_SYNC completion write
 * @param sev IDR0.SEV
 * @param hyp IDR0.HYP
 * @param cd2l IDR0.CD2L: two-level CD tables
 * @param twoLevelStreamTable IDR0.ST_LEVEL = 1
 * @param coherent IDR0.COHACC
 * @param rangeInvalidation IDR3.RIL
 * @param bbml IDR3.BBML (0..2)
 * @param oasBits output address size in bits (32, 36, 40, 42, 44, 48 or 52)
 * @param granules the translation granules supported (IDR5.GRAN*)
 * @param sidBits IDR1.SIDSIZE
 * @param ssidBits IDR1.SSIDSIZE (0 = no SubstreamIDs)
 * @param cmdqLog2 IDR1.CMDQS: log2 of the largest command queue
 * @param evtqLog2 IDR1.EVENTQS
 * @param priqLog2 IDR1.PRIQS
 * @param model the model knobs
 */
public record SmmuConfig(
    boolean stage1,
    boolean stage2,
    boolean asid16,
    boolean vmid16,
    boolean ats,
    boolean pri,
    boolean msi,
    boolean sev,
    boolean hyp,
    boolean cd2l,
    boolean twoLevelStreamTable,
    boolean coherent,
    boolean rangeInvalidation,
    int bbml,
    int oasBits,
    Set<Granule> granules,
    int sidBits,
    int ssidBits,
    int cmdqLog2,
    int evtqLog2,
    int priqLog2,
    ModelKnobs model) {

  /** TLB replacement when the TLB is full. */
  public enum Replacement {
    /** Evict the least recently used entry. */
    LRU,
    /** Evict an entry chosen by the seeded random generator of the instance. */
    RANDOM
  }

  /**
   * How the model behaves where the architecture leaves the choice to the implementation.
   *
   * @param tlbEntries TLB capacity in entries (at least 1)
   * @param replacement which entry a full TLB evicts
   * @param seed seed of the instance's random choices (eviction, speculation), for reproducible
   *     runs
   * @param walkCache whether intermediate table entries are cached
   * @param walkCacheEntries walk cache capacity
   * @param configCacheEntries config cache capacity (STEs and CDs, including invalid ones)
   * @param speculativeFill whether the TLB may fill translations nobody asked for (near walked or
   *     hit addresses), as the architecture allows
   * @param strictTtl whether a TLBI whose TTL hint does not match an entry's level leaves that
   *     entry (the architecture allows it; off means the hint is ignored and every level is
   *     invalidated)
   * @param strictReservedEncodings whether a range TLBI with TG != 0 and NUM = SCALE = TTL = 0 is
   *     rejected with CERROR_ILL
   * @param asyncCommands whether commands are consumed by the instance's own thread (some time
   *     after PROD moves) instead of during the write to CMDQ_PROD
   * @param speculativeFillPeriod with {@code speculativeFill}, about one TLB hit in this many also
   *     fills a translation near the hit address (1 = every hit); walks always fill. At least 1
   * @param configEvictionOneIn random config-cache eviction: each lookup that finds an entry drops
   *     it instead with probability 1/N, as the architecture allows at any time, so fresh fetches
   *     happen even when everything fits (0 = entries leave only for room or by CFGI)
   * @param configPartialRefetch whether a structure (STE or CD) is cached word by word, so that
   *     eviction may keep some of its 64-bit words: a refetch then reads only the others from
   *     memory and combines them with the kept ones. Kept words go only with a CFGI covering the
   *     structure, so a refetch between a driver's writes to an entry and the CFGI that follows can
   *     combine words from before and after the writes (the architecture guarantees only 64-bit
   *     single-copy atomicity of structure reads)
   */
  public record ModelKnobs(
      int tlbEntries,
      Replacement replacement,
      long seed,
      boolean walkCache,
      int walkCacheEntries,
      int configCacheEntries,
      boolean speculativeFill,
      boolean strictTtl,
      boolean strictReservedEncodings,
      boolean asyncCommands,
      int speculativeFillPeriod,
      int configEvictionOneIn,
      boolean configPartialRefetch) {
    /** The {@code speculativeFillPeriod} of knobs made without one. */
    public static final int DEFAULT_SPECULATIVE_FILL_PERIOD = 16;

    /**
     * @throws IllegalArgumentException if a capacity or the speculative fill period is not
     *     positive, or the eviction rate negative
     */
    public ModelKnobs {
      Objects.requireNonNull(replacement, "replacement");
      if (speculativeFillPeriod < 1) {
        throw new IllegalArgumentException(
            "speculative fill period must be at least 1, got " + speculativeFillPeriod);
      }
      if (tlbEntries < 1 || walkCacheEntries < 1 || configCacheEntries < 1) {
        throw new IllegalArgumentException(
            "cache capacities must be at least 1 (TLB "
                + tlbEntries
                + ", walk cache "
                + walkCacheEntries
                + ", config cache "
                + configCacheEntries
                + ")");
      }
      if (configEvictionOneIn < 0) {
        throw new IllegalArgumentException(
            "config cache random eviction is one in N lookups with N >= 0 (0 = off), got "
                + configEvictionOneIn);
      }
    }

    /**
     * Knobs with the {@link #DEFAULT_SPECULATIVE_FILL_PERIOD default speculative fill period},
     * without random config-cache eviction or word-by-word refetch.
     */
    public ModelKnobs(
        int tlbEntries,
        Replacement replacement,
        long seed,
        boolean walkCache,
        int walkCacheEntries,
        int configCacheEntries,
        boolean speculativeFill,
        boolean strictTtl,
        boolean strictReservedEncodings,
        boolean asyncCommands) {
      this(
          tlbEntries,
          replacement,
          seed,
          walkCache,
          walkCacheEntries,
          configCacheEntries,
          speculativeFill,
          strictTtl,
          strictReservedEncodings,
          asyncCommands,
          DEFAULT_SPECULATIVE_FILL_PERIOD,
          0,
          false);
    }

    /** A builder starting from these knobs. */
    public Builder toBuilder() {
      return new Builder(this);
    }

    /** Changes one knob at a time; every setter returns the builder. */
    public static final class Builder {
      private int tlbEntries;
      private Replacement replacement;
      private long seed;
      private boolean walkCache;
      private int walkCacheEntries;
      private int configCacheEntries;
      private boolean speculativeFill;
      private boolean strictTtl;
      private boolean strictReservedEncodings;
      private boolean asyncCommands;
      private int speculativeFillPeriod;
      private int configEvictionOneIn;
      private boolean configPartialRefetch;

      private Builder(ModelKnobs k) {
        tlbEntries = k.tlbEntries;
        replacement = k.replacement;
        seed = k.seed;
        walkCache = k.walkCache;
        walkCacheEntries = k.walkCacheEntries;
        configCacheEntries = k.configCacheEntries;
        speculativeFill = k.speculativeFill;
        strictTtl = k.strictTtl;
        strictReservedEncodings = k.strictReservedEncodings;
        asyncCommands = k.asyncCommands;
        speculativeFillPeriod = k.speculativeFillPeriod;
        configEvictionOneIn = k.configEvictionOneIn;
        configPartialRefetch = k.configPartialRefetch;
      }

      public Builder tlb(int entries, Replacement policy) {
        tlbEntries = entries;
        replacement = policy;
        return this;
      }

      public Builder seed(long v) {
        seed = v;
        return this;
      }

      public Builder walkCache(boolean on, int entries) {
        walkCache = on;
        walkCacheEntries = entries;
        return this;
      }

      public Builder configCacheEntries(int v) {
        configCacheEntries = v;
        return this;
      }

      public Builder speculativeFill(boolean v) {
        speculativeFill = v;
        return this;
      }

      public Builder speculativeFillPeriod(int v) {
        speculativeFillPeriod = v;
        return this;
      }

      public Builder strictTtl(boolean v) {
        strictTtl = v;
        return this;
      }

      public Builder strictReservedEncodings(boolean v) {
        strictReservedEncodings = v;
        return this;
      }

      public Builder asyncCommands(boolean v) {
        asyncCommands = v;
        return this;
      }

      public Builder configEvictionOneIn(int v) {
        configEvictionOneIn = v;
        return this;
      }

      public Builder configPartialRefetch(boolean v) {
        configPartialRefetch = v;
        return this;
      }

      /**
       * @throws IllegalArgumentException as the {@link ModelKnobs} constructor
       */
      public ModelKnobs build() {
        return new ModelKnobs(
            tlbEntries,
            replacement,
            seed,
            walkCache,
            walkCacheEntries,
            configCacheEntries,
            speculativeFill,
            strictTtl,
            strictReservedEncodings,
            asyncCommands,
            speculativeFillPeriod,
            configEvictionOneIn,
            configPartialRefetch);
      }
    }
  }

  /**
   * @throws IllegalArgumentException if the combination is impossible: no stage, an OAS the
   *     architecture does not define, no granule, sizes outside their ID-register fields
   */
  public SmmuConfig {
    Objects.requireNonNull(model, "model");
    granules = Set.copyOf(granules);
    if (!stage1 && !stage2) {
      throw new IllegalArgumentException("an SMMU needs stage 1, stage 2 or both");
    }
    int oasEncoding = AddressSize.encodingFor(oasBits);
    if (oasEncoding < 0 || AddressSize.bits(oasEncoding) != oasBits) {
      throw new IllegalArgumentException(
          "OAS of " + oasBits + " bits is not architected (32, 36, 40, 42, 44, 48 or 52)");
    }
    if (granules.isEmpty()) {
      throw new IllegalArgumentException("at least one translation granule is needed");
    }
    checkRange("SIDSIZE", sidBits, 0, 32);
    checkRange("SSIDSIZE", ssidBits, 0, 20);
    checkRange("CMDQS", cmdqLog2, 0, 19);
    checkRange("EVENTQS", evtqLog2, 0, 19);
    checkRange("PRIQS", priqLog2, 0, 19);
    checkRange("BBML", bbml, 0, 2);
  }

  private static void checkRange(String name, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(name + " of " + value + " is outside " + min + ".." + max);
    }
  }

  /** ASID width in bits (16 or 8). */
  public int asidBits() {
    return asid16 ? 16 : 8;
  }

  /** VMID width in bits (16 or 8). */
  public int vmidBits() {
    return vmid16 ? 16 : 8;
  }

  /**
   * IDR0 as this instance reports it (AArch64 tables, little-endian only, terminate-only stalls).
   */
  public Idr0 idr0() {
    return Idr0.builder()
        .set(Idr0.S1P, stage1)
        .set(Idr0.S2P, stage2)
        .set(Idr0.TTF, Idr0.TTF_AARCH64)
        .set(Idr0.COHACC, coherent)
        .set(Idr0.HYP, hyp)
        .set(Idr0.ATS, ats)
        .set(Idr0.ASID16, asid16)
        .set(Idr0.MSI, msi)
        .set(Idr0.SEV, sev)
        .set(Idr0.PRI, pri)
        .set(Idr0.VMID16, vmid16)
        .set(Idr0.CD2L, cd2l)
        .set(Idr0.TTENDIAN, Idr0.TTENDIAN_LE)
        .set(Idr0.STALL_MODEL, Idr0.STALL_MODEL_TERMINATE)
        .set(Idr0.TERM_MODEL, 1)
        .set(Idr0.ST_LEVEL, twoLevelStreamTable ? Idr0.ST_LEVEL_TWO_LEVEL : 0)
        .build();
  }

  /** IDR1 as this instance reports it. */
  public Idr1 idr1() {
    return Idr1.builder()
        .set(Idr1.SIDSIZE, sidBits)
        .set(Idr1.SSIDSIZE, ssidBits)
        .set(Idr1.PRIQS, priqLog2)
        .set(Idr1.EVENTQS, evtqLog2)
        .set(Idr1.CMDQS, cmdqLog2)
        .build();
  }

  /** IDR3 as this instance reports it. */
  public Idr3 idr3() {
    return Idr3.builder().set(Idr3.RIL, rangeInvalidation).set(Idr3.BBML, bbml).build();
  }

  /** IDR5 as this instance reports it. */
  public Idr5 idr5() {
    return Idr5.builder()
        .set(Idr5.OAS, AddressSize.encodingFor(oasBits))
        .set(Idr5.GRAN4K, granules.contains(Granule.SIZE_4K))
        .set(Idr5.GRAN16K, granules.contains(Granule.SIZE_16K))
        .set(Idr5.GRAN64K, granules.contains(Granule.SIZE_64K))
        .build();
  }

  /** A builder starting from {@link SmmuPresets#mmu700Like()}. */
  public static Builder builder() {
    return new Builder(SmmuPresets.mmu700Like());
  }

  /** A builder starting from this configuration. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Changes one setting at a time; every setter returns the builder. */
  public static final class Builder {
    private boolean stage1;
    private boolean stage2;
    private boolean asid16;
    private boolean vmid16;
    private boolean ats;
    private boolean pri;
    private boolean msi;
    private boolean sev;
    private boolean hyp;
    private boolean cd2l;
    private boolean twoLevelStreamTable;
    private boolean coherent;
    private boolean rangeInvalidation;
    private int bbml;
    private int oasBits;
    private Set<Granule> granules;
    private int sidBits;
    private int ssidBits;
    private int cmdqLog2;
    private int evtqLog2;
    private int priqLog2;
    private ModelKnobs model;

    private Builder(SmmuConfig c) {
      stage1 = c.stage1;
      stage2 = c.stage2;
      asid16 = c.asid16;
      vmid16 = c.vmid16;
      ats = c.ats;
      pri = c.pri;
      msi = c.msi;
      sev = c.sev;
      hyp = c.hyp;
      cd2l = c.cd2l;
      twoLevelStreamTable = c.twoLevelStreamTable;
      coherent = c.coherent;
      rangeInvalidation = c.rangeInvalidation;
      bbml = c.bbml;
      oasBits = c.oasBits;
      granules = EnumSet.copyOf(c.granules);
      sidBits = c.sidBits;
      ssidBits = c.ssidBits;
      cmdqLog2 = c.cmdqLog2;
      evtqLog2 = c.evtqLog2;
      priqLog2 = c.priqLog2;
      model = c.model;
    }

    public Builder stages(boolean s1, boolean s2) {
      stage1 = s1;
      stage2 = s2;
      return this;
    }

    public Builder asid16(boolean v) {
      asid16 = v;
      return this;
    }

    public Builder vmid16(boolean v) {
      vmid16 = v;
      return this;
    }

    public Builder ats(boolean v) {
      ats = v;
      return this;
    }

    public Builder pri(boolean v) {
      pri = v;
      return this;
    }

    public Builder msi(boolean v) {
      msi = v;
      return this;
    }

    public Builder sev(boolean v) {
      sev = v;
      return this;
    }

    public Builder hyp(boolean v) {
      hyp = v;
      return this;
    }

    public Builder cd2l(boolean v) {
      cd2l = v;
      return this;
    }

    public Builder twoLevelStreamTable(boolean v) {
      twoLevelStreamTable = v;
      return this;
    }

    public Builder coherent(boolean v) {
      coherent = v;
      return this;
    }

    public Builder rangeInvalidation(boolean v) {
      rangeInvalidation = v;
      return this;
    }

    public Builder bbml(int v) {
      bbml = v;
      return this;
    }

    public Builder oasBits(int v) {
      oasBits = v;
      return this;
    }

    public Builder granules(Set<Granule> v) {
      granules = EnumSet.copyOf(v);
      return this;
    }

    public Builder sidBits(int v) {
      sidBits = v;
      return this;
    }

    public Builder ssidBits(int v) {
      ssidBits = v;
      return this;
    }

    public Builder queueSizes(int cmdq, int evtq, int priq) {
      cmdqLog2 = cmdq;
      evtqLog2 = evtq;
      priqLog2 = priq;
      return this;
    }

    public Builder model(ModelKnobs v) {
      model = v;
      return this;
    }

    /**
     * @throws IllegalArgumentException if the combination is impossible (see {@link SmmuConfig})
     */
    public SmmuConfig build() {
      return new SmmuConfig(
          stage1,
          stage2,
          asid16,
          vmid16,
          ats,
          pri,
          msi,
          sev,
          hyp,
          cd2l,
          twoLevelStreamTable,
          coherent,
          rangeInvalidation,
          bbml,
          oasBits,
          granules,
          sidBits,
          ssidBits,
          cmdqLog2,
          evtqLog2,
          priqLog2,
          model);
    }
  }
}
