package org.smmulab.driver.entry;

/**
 * The instance features and driver choices that shape the STEs and CDs the driver builds.
 *
 * @param attrTypesOverride IDR1.ATTR_TYPES_OVR: bypass and stage-2 STEs (and stage-1 STEs whose
 *     S1DSS bypasses) take the incoming shareability (SHCFG = incoming)
 * @param stallsSupported the instance can stall faulting transactions (IDR0.STALL_MODEL allows it);
 *     a master that cannot stall then gets S1STALLD
 * @param e2h stage 1 runs at EL2 with E2H (STRW = EL2); otherwise NS-EL1
 */
public record EntryOptions(boolean attrTypesOverride, boolean stallsSupported, boolean e2h) {
  /** No attribute override, no stalls, NS-EL1: what the model's presets report. */
  public static final EntryOptions PLAIN = new EntryOptions(false, false, false);
}
