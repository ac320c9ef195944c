package org.smmulab.verify.scenario;

/**
 * One checked expectation.
 *
 * @param what what was checked, e.g. {@code "tags on smmu0"}
 * @param ok whether it held
 * @param detail what was found (and, when it failed, what was expected)
 */
public record Check(String what, boolean ok, String detail) {}
