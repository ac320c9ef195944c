package org.smmulab.hw.smmu;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.smmulab.arch.pte.Granule;
import org.smmulab.hw.smmu.SmmuConfig.ModelKnobs;
import org.smmulab.hw.smmu.SmmuConfig.Replacement;

/**
 * Ready-made instance configurations, so that users need not set twenty flags.
 *
 * <ul>
 *   <li>{@code mmu-700-like}: a large modern implementation (both stages, 16-bit ASIDs and VMIDs,
 *       ATS, PRI, MSI, two-level tables, range invalidation, 48-bit OAS) with every aggressive knob
 *       on: asynchronous command consumption, walk cache, a small TLB with random replacement so
 *       that entries come and go, speculative fill after walks and after about one TLB hit in 16, a
 *       config cache that also evicts at random (one lookup in 64) and keeps structures word by
 *       word (so a refetch can combine words from before and after an unsynchronised update),
 *       strict TTL and strict reserved encodings. The preset for finding driver bugs.
 *   <li>{@code qemu-like}: what QEMU's model reports (stage 1, 16-bit ASIDs, 8-bit VMIDs, SIDSIZE
 *       16, queues of 2^19, OAS 44, no ATS, PRI or MSI, no two-level CD tables or SubstreamIDs: the
 *       ID registers of QEMU 7.2 except IDR3.HAD, which the configuration cannot express) and how
 *       it behaves (commands consumed during the PROD write, a 256-entry TLB, no walk cache, no
 *       speculation). The preset for comparing with QEMU.
 *   <li>{@code minimal-s1}: the smallest useful instance (stage 1 only, 4K granule, 8-bit StreamIDs
 *       with a linear stream table, 40-bit OAS), for learning and small examples.
 * </ul>
 */
public final class SmmuPresets {
  private static final Map<String, Supplier<SmmuConfig>> PRESETS = new LinkedHashMap<>();

  static {
    PRESETS.put("mmu-700-like", SmmuPresets::mmu700Like);
    PRESETS.put("qemu-like", SmmuPresets::qemuLike);
    PRESETS.put("minimal-s1", SmmuPresets::minimalS1);
  }

  private SmmuPresets() {}

  /** The preset names, in the order users see them. */
  public static Set<String> names() {
    return PRESETS.keySet();
  }

  /**
   * The preset called {@code name}.
   *
   * @throws IllegalArgumentException naming the known presets if there is none by that name
   */
  public static SmmuConfig named(String name) {
    Supplier<SmmuConfig> s = PRESETS.get(name);
    if (s == null) {
      throw new IllegalArgumentException(
          "unknown preset '" + name + "'; known presets: " + String.join(", ", names()));
    }
    return s.get();
  }

  /** A large modern SMMU with every aggressive model knob on. */
  public static SmmuConfig mmu700Like() {
    return new SmmuConfig(
        true,
        true,
        true,
        true,
        true,
        true,
        true,
        true,
        true,
        true,
        true,
        true,
        true,
        2,
        48,
        EnumSet.allOf(Granule.class),
        20,
        20,
        19,
        19,
        19,
        new ModelKnobs(
            64,
            Replacement.RANDOM,
            1,
            true,
            32,
            64,
            true,
            true,
            true,
            true,
            ModelKnobs.DEFAULT_SPECULATIVE_FILL_PERIOD,
            64,
            true));
  }

  /**
   * What QEMU's SMMUv3 model reports and how it behaves. VMID16 is off: QEMU advertises it only
   * together with stage 2, which a stage-1-only QEMU (7.2, the default {@code stage=1}) lacks.
   */
  public static SmmuConfig qemuLike() {
    return new SmmuConfig(
        true,
        false,
        true,
        false,
        false,
        false,
        false,
        false,
        false,
        false,
        true,
        true,
        true,
        2,
        44,
        EnumSet.allOf(Granule.class),
        16,
        0,
        19,
        19,
        0,
        new ModelKnobs(256, Replacement.LRU, 1, false, 1, 256, false, false, false, false));
  }

  /** The smallest useful instance: stage 1, 4K granule, linear 8-bit stream table. */
  public static SmmuConfig minimalS1() {
    return new SmmuConfig(
        true,
        false,
        false,
        false,
        false,
        false,
        false,
        false,
        false,
        false,
        false,
        true,
        false,
        0,
        40,
        EnumSet.of(Granule.SIZE_4K),
        8,
        0,
        8,
        8,
        0,
        new ModelKnobs(32, Replacement.LRU, 1, false, 1, 16, false, false, false, false));
  }
}
