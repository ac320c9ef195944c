/**
 * Declared fault-injection hooks: named driver bugs the verification harness switches on to prove
 * that its oracle catches them. All are off unless named in {@link
 * org.smmulab.driver.smmu.DriverOptions}; each hook is one field test where the bug would be.
 */
package org.smmulab.driver.inject;
