package org.smmulab.verify.scenario;

import java.util.List;
import java.util.Map;
import org.smmulab.verify.oracle.Violation;

/**
 * What one step did and whether it passed. Components that do not apply to the step are {@code
 * null} (or empty for lists and maps).
 *
 * @param index the step's position in the expanded list, from 0
 * @param step the step
 * @param ok whether it passed: its operation did what was expected (succeeded, or failed as
 *     expected leaving everything unchanged), its expectations held and the oracle found no
 *     violation in it
 * @param message why it failed, or what it reported (the driver's message for an expected error,
 *     what an unmap freed); {@code null} when there is nothing to say
 * @param error the error the operation failed with, or {@code null}
 * @param errorMessage the driver's own words for that error, or {@code null}
 * @param commands per instance, the commands it consumed during the step, by opcode (only instances
 *     and opcodes with commands)
 * @param tagsAllocated the tags that became live during the step
 * @param tagsFreed the tags that stopped being live during the step
 * @param dma what a DMA step did
 * @param checks the expectations an expect or DMA step checked
 * @param snapshot what a show step saw
 * @param violation the violation the oracle found in a DMA step
 */
public record StepResult(
    int index,
    Step step,
    boolean ok,
    String message,
    ErrorKind error,
    String errorMessage,
    Map<String, Map<String, Long>> commands,
    List<TagInfo> tagsAllocated,
    List<TagInfo> tagsFreed,
    DmaOutcome dma,
    List<Check> checks,
    Snapshot snapshot,
    Violation violation) {}
