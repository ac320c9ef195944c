/**
 * Scenario files on the QEMU peer: {@link org.smmulab.peer.scenario.ScenarioAdapter} turns a loaded
 * scenario into the differential runner's plan, and refuses, at the offending declaration or step,
 * whatever the peer cannot run.
 */
package org.smmulab.peer.scenario;
