package org.smmulab.arch.bus;

/**
 * The ATS capability of a PCIe function, as software reaches it in the function's configuration
 * space: the Enable bit of the ATS Control register (Linux {@code pci_enable_ats} / {@code
 * pci_disable_ats}). A function without the capability has no such object.
 */
public interface AtsControl {
  /** Sets or clears ATS Control.Enable. */
  void setAtsEnabled(boolean enabled);

  /** Whether ATS Control.Enable is set. */
  boolean atsEnabled();
}
