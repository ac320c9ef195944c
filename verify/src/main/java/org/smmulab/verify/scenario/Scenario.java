package org.smmulab.verify.scenario;

import java.util.List;

/**
 * A checked scenario: every name it uses is declared, every value is one the machine can have.
 * Built by {@link ScenarioLoader}, run by {@link ScenarioRunner}.
 *
 * @param file the file as the user named it
 * @param name the scenario's name ({@code scenario:}, else the file name without extension)
 * @param description what the scenario shows, or an empty string
 * @param driver driver-wide choices
 * @param instances the SMMU instances, in declaration order (the driver's instance order)
 * @param devices the devices (PCIe functions), each behind one instance
 * @param domains the paging domains
 * @param steps the steps, {@code repeat} blocks already expanded
 */
public record Scenario(
    String file,
    String name,
    String description,
    DriverSpec driver,
    List<InstanceSpec> instances,
    List<DeviceSpec> devices,
    List<DomainSpec> domains,
    List<Step> steps) {

  /** Copies the lists. */
  public Scenario {
    instances = List.copyOf(instances);
    devices = List.copyOf(devices);
    domains = List.copyOf(domains);
    steps = List.copyOf(steps);
  }
}
