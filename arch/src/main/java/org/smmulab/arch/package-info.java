/**
 * The Arm SMMUv3 architecture as data: bit-exact codecs for registers, stream table entries,
 * context descriptors, level-1 descriptors, commands, event records and LPAE translation table
 * descriptors, and the interfaces through which a driver and a hardware model meet ({@link
 * org.smmulab.arch.bus.RegisterBus}, {@link org.smmulab.arch.bus.Memory}, {@link
 * org.smmulab.arch.bus.InterruptLines}).
 *
 * <p>Nothing in this module holds mutable state or starts threads. Every codec is immutable,
 * encodes to {@code long[]} qwords (qword 0 first, each little-endian in memory) and decodes any
 * bit pattern without throwing: reserved encodings decode to a value whose name is {@code
 * reserved(n)}.
 */
package org.smmulab.arch;
