/** Reading an SMMU's ID registers into the features the driver uses, refusing what it cannot. */
package org.smmulab.driver.probe;
