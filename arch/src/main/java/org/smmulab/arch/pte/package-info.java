/**
 * VMSAv8-64 (LPAE) translation table descriptors for stage 1 and stage 2, and the translation
 * granules with their level geometry.
 */
package org.smmulab.arch.pte;
