/**
 * Context descriptors: the CD ({@link org.smmulab.arch.cd.Cd}, fields in {@link
 * org.smmulab.arch.cd.CdFields}) that configures stage-1 translation for a stream or substream, and
 * the level-1 descriptor ({@link org.smmulab.arch.cd.L1CdDescriptor}) of a two-level CD table.
 *
 * <p>Everything here is an immutable value: decoding accepts any bit pattern, building truncates
 * like the kernel's {@code FIELD_PREP} unless a checked builder is asked for.
 */
package org.smmulab.arch.cd;
