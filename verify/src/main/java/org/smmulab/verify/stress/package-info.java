/**
 * The stress runner: seeded random workloads over several SMMU instances, shared domains and
 * devices, with every DMA judged by the oracle.
 */
package org.smmulab.verify.stress;
