package org.smmulab.driver.domain;

/** The kinds of translation domain. */
public enum DomainType {
  /** Every access is refused (abort STE). */
  BLOCKED,
  /** Every access passes untranslated (bypass STE). */
  IDENTITY,
  /** Stage-1 translation through a CD (ASID-tagged). */
  PAGING_S1,
  /** Stage-2 translation in the STE (VMID-tagged). */
  PAGING_S2
}
