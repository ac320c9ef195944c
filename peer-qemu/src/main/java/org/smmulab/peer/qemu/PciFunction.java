package org.smmulab.peer.qemu;

/**
 * One PCI function found on the bus.
 *
 * @param bus bus number
 * @param device device number (0..31)
 * @param function function number (0..7)
 * @param vendorId the vendor ID
 * @param deviceId the device ID
 */
public record PciFunction(int bus, int device, int function, int vendorId, int deviceId) {
  /**
   * The routing ID (bus, device, function), which is the SMMU StreamID behind QEMU's root complex.
   */
  public int requesterId() {
    return bus << 8 | device << 3 | function;
  }

  /** Whether this is QEMU's edu device (1234:11e8). */
  public boolean isEdu() {
    return vendorId == 0x1234 && deviceId == 0x11e8;
  }

  @Override
  public String toString() {
    return String.format("%02x:%02x.%d %04x:%04x", bus, device, function, vendorId, deviceId);
  }
}
