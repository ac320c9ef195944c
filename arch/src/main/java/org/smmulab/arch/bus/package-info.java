/**
 * The only paths between a driver and the hardware it drives, as on a real machine: MMIO registers
 * ({@link org.smmulab.arch.bus.RegisterBus}), physical memory ({@link org.smmulab.arch.bus.Memory})
 * and wired interrupt lines ({@link org.smmulab.arch.bus.InterruptLines}). MSIs are memory writes.
 */
package org.smmulab.arch.bus;
