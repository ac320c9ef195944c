/**
 * The QEMU peer's machine built from the project's hardware model: one {@link
 * org.smmulab.hw.smmu.Smmu} (preset {@code qemu-like}) on a {@link
 * org.smmulab.hw.memory.PhysicalMemory} with the peer layout, and edu devices modelled on top of
 * {@link org.smmulab.hw.pcie.Endpoint}.
 */
package org.smmulab.peer.model;
