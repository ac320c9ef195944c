package org.smmulab.peer.scenario;

import org.smmulab.driver.smmu.DriverOptions;
import org.smmulab.peer.diff.PeerPlan;

/**
 * A scenario file made ready for the QEMU peer ({@link ScenarioAdapter}).
 *
 * @param plan what the differential runner does on both peers
 * @param devices how many edu devices each peer must have
 * @param options the driver options of both driver instances: the scenario's ASID space and
 *     injections on the default queues and timeouts
 */
public record PeerScenario(PeerPlan plan, int devices, DriverOptions options) {}
