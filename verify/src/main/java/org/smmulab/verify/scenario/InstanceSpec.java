package org.smmulab.verify.scenario;

import org.smmulab.hw.smmu.SmmuConfig;

/**
 * One SMMU instance of a scenario: a hardware preset with the file's overrides applied.
 *
 * @param at where it is declared
 * @param name its name, unique among instances
 * @param preset the preset it started from
 * @param config the resulting configuration
 */
public record InstanceSpec(Position at, String name, String preset, SmmuConfig config) {}
