/**
 * Verification: the isolation oracle, invariant checks, workloads, the stress runner and fault
 * injection. Everything here observes the driver and the hardware model from outside.
 */
package org.smmulab.verify;
