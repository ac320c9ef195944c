package org.smmulab.verify.stress;

import java.util.List;
import org.smmulab.verify.oracle.Violation;

/**
 * What a stress run found.
 *
 * @param seed the seed
 * @param seconds measured run time
 * @param operations driver operations performed
 * @param dmasChecked DMAs judged by the oracle
 * @param tlbHitRatio translations served by a TLB over all translations, over every instance
 * @param violationCount violations found
 * @param violations the first violations (at most {@value StressRunner#KEPT_VIOLATIONS})
 * @param injected the injected bugs' names, or {@code null}
 * @param operationLog every driver operation up to the first violation (or the end of the run), for
 *     replay: operations only, no DMA records
 */
public record StressResult(
    long seed,
    double seconds,
    long operations,
    long dmasChecked,
    double tlbHitRatio,
    long violationCount,
    List<Violation> violations,
    String injected,
    List<String> operationLog) {}
