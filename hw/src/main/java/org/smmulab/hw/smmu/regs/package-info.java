/**
 * The programming interface of one SMMU instance: the MMIO register file, the command queue
 * consumer, the event queue producer, command legality, and the wired interrupt outputs.
 */
package org.smmulab.hw.smmu.regs;
