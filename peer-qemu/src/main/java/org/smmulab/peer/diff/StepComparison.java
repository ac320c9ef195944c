package org.smmulab.peer.diff;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.smmulab.arch.cmd.Command;

/**
 * Compares what the two peers showed for one step, aspect by aspect, and judges each difference.
 *
 * <ul>
 *   <li>result: what the driver call returned must be the same;
 *   <li>commands: the same commands in the same order (the driver adapts to the ID registers, so a
 *       difference here means the two SMMUs reported different features, or the driver is not
 *       deterministic);
 *   <li>command errors: the same;
 *   <li>faults: the same runs of event records ({@link FaultRun}) — type, StreamID, direction and
 *       first address; a QEMU run longer than the model's single record is explained when it is
 *       QEMU's per-4-byte retry of the rest of the failed page (it ends inside the page and the
 *       copy);
 *   <li>memory: the same bytes written to the same sinks and the same data-region digest;
 *   <li>global errors and event-queue overflow: the same, except that QEMU raises EVTQ_ABT_ERR
 *       where the architecture (and the model) sets the overflow flag (section 8, item 4).
 * </ul>
 */
public final class StepComparison {
  private static final int EVTQ_ABT_ERR = 1 << 2;

  private StepComparison() {}

  /** The differences at step {@code step}, which reports call by its operation's description. */
  public static List<Difference> compare(int step, PeerOp op, StepOutcome model, StepOutcome qemu) {
    return compare(step, op.describe(), op, model, qemu);
  }

  /**
   * The differences at step {@code step}; empty when the peers agree.
   *
   * @param what what reports call the step
   */
  public static List<Difference> compare(
      int step, String what, PeerOp op, StepOutcome model, StepOutcome qemu) {
    List<Difference> out = new ArrayList<>();
    if (!model.result().equals(qemu.result())) {
      out.add(
          unexplained(
              step,
              what,
              "result",
              model.result(),
              qemu.result(),
              "the driver call ended differently"));
    }
    compareCommands(step, what, model.commands(), qemu.commands(), out);
    if (!model.commandErrors().equals(qemu.commandErrors())) {
      out.add(
          unexplained(
              step,
              what,
              "command errors",
              model.commandErrors().toString(),
              qemu.commandErrors().toString(),
              "the command queue reported different errors"));
    }
    compareFaults(step, what, op, model, qemu, out);
    if (model.dma() != null && !model.dma().equals(qemu.dma())) {
      out.add(
          unexplained(
              step,
              what,
              "memory",
              model.dma().toString(),
              String.valueOf(qemu.dma()),
              "the DMA moved different bytes or wrote them elsewhere"));
    }
    compareGlobalErrors(step, what, model, qemu, out);
    return out;
  }

  private static void compareCommands(
      int step, String what, List<Command> model, List<Command> qemu, List<Difference> out) {
    if (model.equals(qemu)) {
      return;
    }
    int i = 0;
    while (i < model.size() && i < qemu.size() && model.get(i).equals(qemu.get(i))) {
      i++;
    }
    String m = i < model.size() ? model.get(i).describe() : "(no more commands)";
    String q = i < qemu.size() ? qemu.get(i).describe() : "(no more commands)";
    out.add(
        unexplained(
            step,
            what,
            "commands",
            String.format("%d commands %s; #%d %s", model.size(), census(model), i, m),
            String.format("%d commands %s; #%d %s", qemu.size(), census(qemu), i, q),
            "the driver issued different commands on the two SMMUs"));
  }

  private static String census(List<Command> commands) {
    Map<String, Integer> counts = new TreeMap<>();
    for (Command c : commands) {
      counts.merge(
          c.opcode() == null ? "0x" + Integer.toHexString(c.opcodeValue()) : c.opcode().name(),
          1,
          Integer::sum);
    }
    return counts.toString();
  }

  private static void compareFaults(
      int step, String what, PeerOp op, StepOutcome model, StepOutcome qemu, List<Difference> out) {
    List<FaultRun> m = FaultRun.collapse(model.events());
    List<FaultRun> q = FaultRun.collapse(qemu.events());
    boolean same = m.size() == q.size();
    for (int i = 0; same && i < m.size(); i++) {
      same = m.get(i).sameFault(q.get(i));
    }
    if (!same) {
      out.add(
          unexplained(
              step,
              what,
              "faults",
              m.toString(),
              q.toString(),
              "the SMMUs recorded different faults"));
      return;
    }
    for (int i = 0; i < m.size(); i++) {
      FaultRun mr = m.get(i);
      FaultRun qr = q.get(i);
      if (mr.count() == qr.count()) {
        continue;
      }
      boolean retry =
          op instanceof PeerOp.Dma dma
              && mr.count() == 1
              && qr.count() > 1
              && qr.last() < Math.min(dma.end(), (qr.first() | 0xfff) + 1);
      out.add(
          retry
              ? new Difference(
                  step,
                  what,
                  "fault records",
                  mr.toString(),
                  qr.toString(),
                  Verdict.EXPLAINED,
                  "qemu-retries-failed-dma",
                  "QEMU's memory core retries the rest of a failed DMA page in pieces of at most 4"
                      + " bytes and its SMMU records an event for each; the first record is the"
                      + " same fault and the rest stay inside the page and the copy")
              : unexplained(
                  step,
                  what,
                  "fault records",
                  mr.toString(),
                  qr.toString(),
                  "the same fault was recorded a different number of times"));
    }
  }

  private static void compareGlobalErrors(
      int step, String what, StepOutcome model, StepOutcome qemu, List<Difference> out) {
    if (model.globalErrors() == qemu.globalErrors()
        && model.eventOverflow() == qemu.eventOverflow()) {
      return;
    }
    String m =
        String.format("GERROR 0x%x, overflow %b", model.globalErrors(), model.eventOverflow());
    String q = String.format("GERROR 0x%x, overflow %b", qemu.globalErrors(), qemu.eventOverflow());
    boolean knownOverflow =
        model.eventOverflow()
            && !qemu.eventOverflow()
            && qemu.globalErrors() == (model.globalErrors() | EVTQ_ABT_ERR);
    out.add(
        knownOverflow
            ? new Difference(
                step,
                what,
                "global errors",
                m,
                q,
                Verdict.KNOWN_QEMU_DEVIATION,
                "section 8 item 4",
                "on a full event queue QEMU raises GERROR.EVTQ_ABT_ERR instead of the overflow"
                    + " protocol (EVTQ_PROD.OVFLG)")
            : unexplained(
                step, what, "global errors", m, q, "the SMMUs reported different global errors"));
  }

  private static Difference unexplained(
      int step, String what, String aspect, String model, String qemu, String explanation) {
    return new Difference(step, what, aspect, model, qemu, Verdict.UNEXPLAINED, null, explanation);
  }
}
