/**
 * One SMMU instance as the driver holds it: probed, reset by the Linux sequence, with its queues
 * and stream table, and the hitless installation of STEs and CDs.
 */
package org.smmulab.driver.smmu;
