package org.smmulab.driver.domain;

/**
 * A translation domain (Linux {@code struct iommu_domain}). Domains are values the attach code
 * switches masters between; they hold no reference to any SMMU instance or device.
 */
public sealed interface Domain permits BlockedDomain, IdentityDomain, PagingDomain {
  /** The domain's name, for reports. */
  String name();

  /** The kind of domain. */
  DomainType type();
}
