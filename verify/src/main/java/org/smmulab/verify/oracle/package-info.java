/**
 * The isolation oracle: it timestamps every driver call and every DMA with one logical clock, keeps
 * the truth of what each device may and must reach, and classifies every DMA outcome.
 */
package org.smmulab.verify.oracle;
