package org.smmulab.hw.smmu.e2e;

import org.smmulab.hw.smmu.SmmuConfig;
import org.smmulab.hw.smmu.SmmuConfig.ModelKnobs;

/** Variations of preset configurations for the hardware tests. */
final class Configs {
  private Configs() {}

  /** {@code config} with commands consumed on the instance's thread or not. */
  static SmmuConfig async(SmmuConfig config, boolean async) {
    ModelKnobs k = config.model();
    return config.toBuilder()
        .model(
            new ModelKnobs(
                k.tlbEntries(),
                k.replacement(),
                k.seed(),
                k.walkCache(),
                k.walkCacheEntries(),
                k.configCacheEntries(),
                k.speculativeFill(),
                k.strictTtl(),
                k.strictReservedEncodings(),
                async,
                k.speculativeFillPeriod()))
        .build();
  }

  /** {@code config} with speculative fill on or off. */
  static SmmuConfig speculative(SmmuConfig config, boolean on) {
    ModelKnobs k = config.model();
    return config.toBuilder()
        .model(
            new ModelKnobs(
                k.tlbEntries(),
                k.replacement(),
                k.seed(),
                k.walkCache(),
                k.walkCacheEntries(),
                k.configCacheEntries(),
                on,
                k.strictTtl(),
                k.strictReservedEncodings(),
                k.asyncCommands(),
                k.speculativeFillPeriod()))
        .build();
  }

  /** {@code config} with about one TLB hit in {@code period} filling speculatively. */
  static SmmuConfig speculationPeriod(SmmuConfig config, int period) {
    ModelKnobs k = config.model();
    return config.toBuilder()
        .model(
            new ModelKnobs(
                k.tlbEntries(),
                k.replacement(),
                k.seed(),
                k.walkCache(),
                k.walkCacheEntries(),
                k.configCacheEntries(),
                k.speculativeFill(),
                k.strictTtl(),
                k.strictReservedEncodings(),
                k.asyncCommands(),
                period))
        .build();
  }
}
