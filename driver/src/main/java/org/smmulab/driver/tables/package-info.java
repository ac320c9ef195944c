/**
 * The stream table and the per-master CD tables in memory: where each STE and CD lives, and the
 * level-1 descriptors and leaves allocated as masters and SubstreamIDs appear.
 */
package org.smmulab.driver.tables;
