package org.smmulab.driver.domain;

/** The domain that refuses every access; detaching a master attaches it here. */
public record BlockedDomain(String name) implements Domain {
  /** The blocked domain every driver shares. */
  public static final BlockedDomain INSTANCE = new BlockedDomain("blocked");

  @Override
  public DomainType type() {
    return DomainType.BLOCKED;
  }
}
