package org.smmulab.driver.domain;

/** The domain that lets every access through untranslated. */
public record IdentityDomain(String name) implements Domain {
  /** The identity domain every driver shares. */
  public static final IdentityDomain INSTANCE = new IdentityDomain("identity");

  @Override
  public DomainType type() {
    return DomainType.IDENTITY;
  }
}
