/**
 * Translation domains: what a device attached to them may reach. Blocked and identity domains need
 * no tables; a paging domain owns an I/O page table and the invalidation array through which every
 * SMMU instance it is attached through learns of its changes.
 */
package org.smmulab.driver.domain;
