/**
 * The SMMUv3 hardware model. One {@link org.smmulab.hw.smmu.SmmuConfig} describes an instance: its
 * ID-register features and the model knobs that make it as aggressive as the architecture allows.
 * Sub-packages follow the hardware pipeline: {@code regs} and {@code queue} (the programming
 * interface), {@code config} (stream table and CD fetch, config cache), {@code walk} (the table
 * walker), {@code tlb} (TLB and walk cache), {@code txn} (transactions and their outcomes).
 */
package org.smmulab.hw.smmu;
