/** Throughput of the hardware model: translations (TLB hit and 4-level walk) and commands. */
package org.smmulab.bench.hw;
