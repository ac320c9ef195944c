/**
 * QEMU's SMMUv3 as an independent peer of the project's driver and hardware model.
 *
 * <p>{@link org.smmulab.peer.PeerMachine} is what both peers offer: physical memory, the SMMU's
 * registers and interrupt lines, and edu-style DMA engines ({@link org.smmulab.peer.EduPort}).
 * {@code peer.qemu} runs a QEMU {@code virt} machine with a guest stub that performs physical
 * accesses for the host; {@code peer.model} builds the same machine from the hardware model (preset
 * {@code qemu-like}); {@code peer.diff} runs one operation sequence on both and compares them step
 * by step.
 */
package org.smmulab.peer;
