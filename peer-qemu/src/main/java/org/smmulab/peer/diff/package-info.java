/**
 * The differential runner: one operation sequence ({@link org.smmulab.peer.diff.PeerOp}) runs on
 * the hardware model and on QEMU through the same driver ({@link org.smmulab.peer.diff.PeerWorld}),
 * and each step's outcomes are compared ({@link org.smmulab.peer.diff.StepComparison}): what the
 * driver call returned, the commands it issued, the bytes a DMA moved and the faults it recorded.
 */
package org.smmulab.peer.diff;
