package org.smmulab.peer.diff;

import java.util.List;
import org.smmulab.arch.cmd.Command;
import org.smmulab.arch.event.EventRecord;

/**
 * Everything one peer showed for one step.
 *
 * @param result what the driver call returned ("ok", "unmapped 4096 bytes", "already mapped",
 *     "refused: CANNOT_SHARE", ...)
 * @param commands the commands the driver issued, in queue order
 * @param commandErrors command errors reported by the driver's queue ("ILL at TLBI_NH_VA ...")
 * @param dma what a DMA step left in memory, or {@code null} for other steps
 * @param events the event records read after the step
 * @param globalErrors global-error bits acknowledged after the step (0 for none)
 * @param eventOverflow whether the event queue reported an overflow
 */
public record StepOutcome(
    String result,
    List<Command> commands,
    List<String> commandErrors,
    DmaObservation dma,
    List<EventRecord> events,
    int globalErrors,
    boolean eventOverflow) {
  /** Copies the lists. */
  public StepOutcome {
    commands = List.copyOf(commands);
    commandErrors = List.copyOf(commandErrors);
    events = List.copyOf(events);
  }
}
