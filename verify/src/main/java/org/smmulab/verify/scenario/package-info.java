/**
 * Scenario files: a YAML description of a machine (SMMU instances, devices, domains) and of steps
 * to perform on it (attach, detach, map, unmap, DMA, expectations, snapshots), the loader that
 * turns a file into a checked {@link org.smmulab.verify.scenario.Scenario} or an error at {@code
 * FILE:LINE:COLUMN}, and the {@link org.smmulab.verify.scenario.ScenarioRunner} that drives the
 * real driver on the hardware model with the isolation oracle judging every DMA.
 *
 * <p>The format is described in {@code docs/scenarios.md}.
 */
package org.smmulab.verify.scenario;
