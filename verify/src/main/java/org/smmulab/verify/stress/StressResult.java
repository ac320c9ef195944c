package org.smmulab.verify.stress;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.smmulab.verify.oracle.Violation;
import org.smmulab.verify.oracle.ViolationClass;

/**
 * What a stress run found.
 *
 * @param seed the seed
 * @param seconds measured run time
 * @param operations driver operations performed
 * @param dmasChecked DMAs judged by the oracle (every DMA issued)
 * @param tlbHitRatio translations served by a TLB over all translations, over every instance
 * @param violationCount violations found
 * @param violationsByClass how many of them were of each class, classes with none left out, in the
 *     order of {@link ViolationClass}
 * @param violations the first violations (at most {@value StressRunner#KEPT_VIOLATIONS})
 * @param injected the injected bugs' names, or {@code null}
 * @param firstViolation when the first violation of any class was found, or {@code null}
 * @param firstDmaViolation when the first violation found through a DMA outcome was found, or
 *     {@code null}
 * @param operationLog the driver operations up to the first violation, or of the whole run when
 *     there was none, for replay: operations only, no DMA records (at most {@value
 *     StressRunner#MAX_LOG_LINES} lines)
 */
public record StressResult(
    long seed,
    double seconds,
    long operations,
    long dmasChecked,
    double tlbHitRatio,
    long violationCount,
    Map<ViolationClass, Long> violationsByClass,
    List<Violation> violations,
    String injected,
    Detection firstViolation,
    Detection firstDmaViolation,
    List<String> operationLog) {

  /**
   * When a violation was found.
   *
   * @param kind its class
   * @param seconds measured run time until it was found
   * @param operations driver operations completed by then
   * @param dmasChecked DMAs judged by then
   */
  public record Detection(ViolationClass kind, double seconds, long operations, long dmasChecked) {}

  /** Copies the lists and the map (keeping the map's order). */
  public StressResult {
    violationsByClass = Collections.unmodifiableMap(new LinkedHashMap<>(violationsByClass));
    violations = List.copyOf(violations);
    operationLog = List.copyOf(operationLog);
  }
}
