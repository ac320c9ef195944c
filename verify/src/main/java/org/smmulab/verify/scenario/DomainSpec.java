package org.smmulab.verify.scenario;

import org.smmulab.arch.pte.Granule;
import org.smmulab.arch.pte.Stage;

/**
 * One paging domain of a scenario.
 *
 * @param at where it is declared
 * @param name its name, unique among domains ({@code blocked} is reserved)
 * @param stage stage 1 (ASID-tagged) or stage 2 (VMID-tagged)
 * @param granule the translation granule
 * @param ias input address size in bits
 * @param oas output address size in bits
 */
public record DomainSpec(
    Position at, String name, Stage stage, Granule granule, int ias, int oas) {}
