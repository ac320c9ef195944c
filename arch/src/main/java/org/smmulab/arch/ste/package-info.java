/**
 * The stream table: Stream Table Entries ({@link org.smmulab.arch.ste.Ste}, with its fields in
 * {@link org.smmulab.arch.ste.SteFields} and its Config encoding in {@link
 * org.smmulab.arch.ste.StreamConfig}) and the level-1 descriptors of a two-level stream table.
 *
 * <p>Everything here is an immutable value: decoding accepts any bit pattern, building truncates
 * like the kernel's {@code FIELD_PREP} unless a checked builder is asked for.
 */
package org.smmulab.arch.ste;
