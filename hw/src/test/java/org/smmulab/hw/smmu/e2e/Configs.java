package org.smmulab.hw.smmu.e2e;

import org.smmulab.hw.smmu.SmmuConfig;

/** Variations of preset configurations for the hardware tests. */
final class Configs {
  private Configs() {}

  /** {@code config} with commands consumed on the instance's thread or not. */
  static SmmuConfig async(SmmuConfig config, boolean async) {
    return config.toBuilder()
        .model(config.model().toBuilder().asyncCommands(async).build())
        .build();
  }

  /** {@code config} with speculative fill on or off. */
  static SmmuConfig speculative(SmmuConfig config, boolean on) {
    return config.toBuilder().model(config.model().toBuilder().speculativeFill(on).build()).build();
  }

  /** {@code config} with about one TLB hit in {@code period} filling speculatively. */
  static SmmuConfig speculationPeriod(SmmuConfig config, int period) {
    return config.toBuilder()
        .model(config.model().toBuilder().speculativeFillPeriod(period).build())
        .build();
  }
}
