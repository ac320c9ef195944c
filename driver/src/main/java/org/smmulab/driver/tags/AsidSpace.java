package org.smmulab.driver.tags;

/** How ASIDs are shared between instances. VMIDs are always per instance. */
public enum AsidSpace {
  /** Each instance has its own ASID space: a domain may get different ASIDs on each. */
  PER_INSTANCE,
  /**
   * One ASID space for all instances (what Linux does today with its global ASID xarray): an ASID
   * in use on any instance is taken on all, bounded by each instance's own width.
   */
  GLOBAL
}
