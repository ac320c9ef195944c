/**
 * The SMMUv3 MMIO register file as data: the offset of every register ({@link
 * org.smmulab.arch.regs.RegisterOffsets}), the field layout of each register, typed views of the ID
 * registers ({@link org.smmulab.arch.regs.Idr0} and friends), and the PROD/CONS index arithmetic of
 * the in-memory queues ({@link org.smmulab.arch.regs.QueuePointer}).
 *
 * <p>Every register value is an image of one qword holding the 32- or 64-bit register value, so
 * that it shares the codec machinery of {@link org.smmulab.arch.codec}: decoding never throws and
 * every value describes itself, for example {@code "CR0 SMMUEN=1 EVTQEN=1 CMDQEN=1"}.
 */
package org.smmulab.arch.regs;
