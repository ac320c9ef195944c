/**
 * The shared machinery behind every codec: a {@link org.smmulab.arch.codec.Field} names a bit range
 * in one qword, a {@link org.smmulab.arch.codec.Layout} lists the fields of one structure, and a
 * {@link org.smmulab.arch.codec.QwordImage} is an immutable value of such a structure.
 */
package org.smmulab.arch.codec;
