package org.smmulab.verify.scenario;

import org.smmulab.driver.invs.InvalidationType;

/**
 * One expected live entry of a domain's invalidation array. The instance and type are required; the
 * other components are optional ({@code null}: not checked).
 *
 * @param instance the instance whose queue receives the entry's commands
 * @param type the kind of invalidation
 * @param id the ASID, VMID, or for ATS entries the StreamID
 * @param ssid the SubstreamID of an ATS entry
 * @param users the attachments needing the entry
 */
public record EntryExpectation(
    String instance, InvalidationType type, Long id, Integer ssid, Integer users) {}
