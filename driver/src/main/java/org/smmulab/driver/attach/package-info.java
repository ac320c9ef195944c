/**
 * Masters (devices behind an SMMU instance) and the attach sequence that moves a master, or one of
 * its SubstreamIDs, from one domain to another: cache tag, invalidation arrays, STE/CD switch and
 * the old domain's cleanup, in the order that keeps every invalidation reaching the hardware that
 * may still use a translation.
 */
package org.smmulab.driver.attach;
