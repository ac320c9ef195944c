package org.smmulab.hw.smmu.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.smmulab.arch.cmd.Command;

class ResolvedKeyTest {
  @Test
  void cfgiDropsTheResolvedConfigurationsOfItsStreamIds() {
    ConfigCache c = new ConfigCache(64, 1);
    c.insert(ConfigCache.resolvedKey(0x11, false, 0), "r", c.generation());
    c.insert(ConfigCache.resolvedKey(0x11, true, 3), "r3", c.generation());
    c.insert(ConfigCache.resolvedKey(0x12, false, 0), "other", c.generation());
    assertThat(c.invalidate(Command.cfgiSte(0x11, true))).isEqualTo(2);
    assertThat(c.lookup(ConfigCache.resolvedKey(0x11, false, 0))).isNull();
    assertThat(c.lookup(ConfigCache.resolvedKey(0x12, false, 0))).isEqualTo("other");
    c.insert(ConfigCache.resolvedKey(0x12, false, 0), "again", c.generation());
    assertThat(c.invalidate(Command.cfgiCd(0x12, 0, true))).isEqualTo(1);
    c.insert(ConfigCache.resolvedKey(0x13, false, 0), "x", c.generation());
    assertThat(c.invalidate(Command.cfgiSteRange(0x13, 0))).isEqualTo(1);
  }
}
