package org.smmulab.cli;

import java.io.PrintWriter;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.smmulab.arch.pte.Stage;
import org.smmulab.driver.pgtable.Prot;
import org.smmulab.hw.pcie.DmaSegment;
import org.smmulab.verify.scenario.AttachStep;
import org.smmulab.verify.scenario.Check;
import org.smmulab.verify.scenario.DetachStep;
import org.smmulab.verify.scenario.DeviceSpec;
import org.smmulab.verify.scenario.DmaExpectation;
import org.smmulab.verify.scenario.DmaOutcome;
import org.smmulab.verify.scenario.DmaStep;
import org.smmulab.verify.scenario.DomainSpec;
import org.smmulab.verify.scenario.ExpectStep;
import org.smmulab.verify.scenario.MapStep;
import org.smmulab.verify.scenario.Numbers;
import org.smmulab.verify.scenario.Scenario;
import org.smmulab.verify.scenario.ScenarioResult;
import org.smmulab.verify.scenario.StepResult;
import org.smmulab.verify.scenario.TagInfo;
import org.smmulab.verify.scenario.UnmapStep;

/**
 * Sentences that explain a scenario run to someone new to IOMMUs: what each attach, map, unmap and
 * DMA made the driver and the SMMUs do, in the terms of the step results (tags allocated and freed,
 * commands received, what served each DMA). Keeps track of which tag each domain holds on each
 * instance as the steps go, to name it when a step reuses it.
 */
final class Narration {
  private final Scenario scenario;
  private final Map<String, TagInfo> live = new HashMap<>();
  private final Set<String> attached = new HashSet<>();

  Narration(Scenario scenario) {
    this.scenario = scenario;
  }

  /** A device as the machine section prints it. */
  static String device(DeviceSpec d) {
    StringBuilder sb = new StringBuilder("device behind ").append(d.instance());
    sb.append(d.streamIds().size() == 1 ? ", StreamID " : ", StreamIDs ");
    for (int i = 0; i < d.streamIds().size(); i++) {
      sb.append(i == 0 ? "" : " ").append(String.format("0x%x", d.streamIds().get(i)));
    }
    if (d.ats()) {
      sb.append(", ATS with a ").append(d.atcEntries()).append("-entry ATC");
    }
    if (d.ssidBits() > 0) {
      sb.append(", ").append(d.ssidBits()).append(" SubstreamID bits");
    }
    return sb.toString();
  }

  void setup(PrintWriter out, Map<String, Map<String, Long>> setupCommands) {
    out.println();
    out.println(
        "  The driver probed each SMMU through its registers, built its stream table and queues,");
    out.println(
        "  and reset it; every device starts blocked (its STE aborts all DMA). Commands so far:");
    setupCommands.forEach((i, c) -> out.printf("    %s: %s%n", i, TextBlocks.counts(c)));
  }

  void step(PrintWriter out, String indent, StepResult r) {
    Say say = new Say(out, indent);
    if (r.step() instanceof AttachStep a) {
      attach(say, a, r);
      if (r.error() == null && a.pasid() == 0) {
        if (a.domain() == null) {
          attached.remove(a.device());
        } else {
          attached.add(a.device());
        }
      }
    } else if (r.step() instanceof DetachStep d) {
      if (d.pasid() == 0) {
        attached.remove(d.device());
      }
      say.line(
          d.device()
              + (d.pasid() != 0
                  ? " PASID " + d.pasid() + " is detached: its CD is now invalid."
                  : " is detached: its STE now aborts every DMA it issues."));
      tagsFreed(say, r);
      commands(
          say, r, "the driver rewriting the entries, each change followed by CFGI and CMD_SYNC");
    } else if (r.step() instanceof MapStep m) {
      map(say, m, r);
    } else if (r.step() instanceof UnmapStep u) {
      unmap(say, u, r);
    } else if (r.step() instanceof DmaStep d) {
      dma(say, d, r);
    } else if (r.step() instanceof ExpectStep) {
      for (Check c : r.checks()) {
        say.line((c.ok() ? "Checked " : "FAILED check of ") + c.what() + ": " + c.detail());
      }
    }
    if (!r.ok() && r.message() != null) {
      say.line("Problem: " + r.message());
    }
  }

  private void attach(Say say, AttachStep a, StepResult r) {
    DeviceSpec device = device(a.device());
    String who = a.device() + (a.pasid() != 0 ? " PASID " + a.pasid() : "");
    if (r.error() != null) {
      if (r.ok()) {
        say.line(
            "The attach failed, as the scenario expects, with "
                + r.error().label()
                + ". Nothing changed: tags, invalidation arrays, STEs, CDs and page tables are as"
                + " before, and no SMMU received a command.");
        say.line("The driver said: " + r.errorMessage());
      }
      return;
    }
    if (a.domain() == null) {
      say.line(who + " is blocked: its STE now aborts every DMA it issues.");
    } else {
      DomainSpec domain = domain(a.domain());
      say.line(
          who
              + " (behind "
              + device.instance()
              + ") is attached to "
              + a.domain()
              + ": its DMA is now translated by that domain's stage-"
              + (domain.stage() == Stage.STAGE_1 ? 1 : 2)
              + " page table.");
      TagInfo fresh =
          r.tagsAllocated().stream()
              .filter(t -> t.instance().equals(device.instance()) && t.domain().equals(a.domain()))
              .findFirst()
              .orElse(null);
      if (fresh != null) {
        say.line(
            device.instance()
                + " had no tag for "
                + a.domain()
                + " yet, so the driver gave it "
                + fresh.label()
                + " on "
                + device.instance()
                + " (the lowest free one there): TLB entries of "
                + a.domain()
                + " on "
                + device.instance()
                + " carry it.");
      } else {
        TagInfo known = live.get(device.instance() + " " + a.domain());
        say.line(
            a.domain()
                + " already has "
                + (known != null ? known.label() : "a tag")
                + " on "
                + device.instance()
                + ", so "
                + a.device()
                + " shares it: no new tag.");
      }
    }
    track(r);
    tagsFreed(say, r);
    commands(
        say,
        r,
        "the driver rewriting the device's STE"
            + (a.domain() != null && domain(a.domain()).stage() == Stage.STAGE_1 ? " and CD" : "")
            + " in place, each change followed by CFGI (drop the cached copy) and CMD_SYNC (wait"
            + " until done)"
            + (has(r, "ATC_INV")
                ? "; ATC_INV emptied the device's ATC before ATS was turned on"
                : ""));
  }

  private void map(Say say, MapStep m, StepResult r) {
    if (r.error() != null) {
      say.line(
          "The map failed with "
              + r.error().label()
              + (r.ok() ? ", as the scenario expects; nothing changed." : "."));
      return;
    }
    say.line(
        String.format(
            "%s now maps [0x%x, +%s) to 0x%x, %s.",
            m.domain(), m.iova(), Numbers.size(m.size()), m.pa(), permissions(m.prot())));
    if (r.commands().isEmpty()) {
      say.line(
          "No command was needed: the range was not mapped before, and an SMMU caches no"
              + " translation for an address that has none.");
    } else {
      commands(say, r, "");
    }
  }

  private void unmap(Say say, UnmapStep u, StepResult r) {
    if (r.error() != null) {
      say.line("Nothing was unmapped (" + r.error().label() + ").");
      return;
    }
    say.line(
        String.format(
            "%s no longer maps [0x%x, +%s).", u.domain(), u.iova(), Numbers.size(u.size())));
    if (r.commands().isEmpty()) {
      say.line("No device is attached to " + u.domain() + ", so no SMMU had anything to forget.");
      return;
    }
    say.line(
        "Before the unmap returned, every SMMU the domain is attached through was told to forget"
            + " the range, each with its own tag:");
    r.commands().forEach((i, c) -> say.line("  " + i + " received " + TextBlocks.counts(c)));
    if (has(r, "ATC_INV")) {
      say.line("ATC_INV made the SMMU clear the copy in each ATS device's own ATC too.");
    }
  }

  private void dma(Say say, DmaStep d, StepResult r) {
    DmaOutcome o = r.dma();
    String what =
        String.format(
            "%s%s %s %d bytes at 0x%x",
            d.device(),
            d.pasid() != 0 ? " (PASID " + d.pasid() + ")" : "",
            d.write() ? "wrote" : "read",
            d.size(),
            d.iova());
    String expected =
        d.expect() != null && r.checks().stream().allMatch(Check::ok) ? ", as expected" : "";
    if (o.completed()) {
      say.line(what + ": reached 0x" + Long.toHexString(o.pa()) + expected + ".");
      say.line("Translated by " + via(o.via()) + ".");
    } else {
      say.line(what + ": faulted" + expected + ".");
      say.line(fault(o, d.pasid() == 0 && !attached.contains(d.device())));
    }
    if (r.violation() != null) {
      say.line(
          "THE ORACLE FLAGGED THIS DMA as "
              + r.violation().kind().label()
              + ": "
              + r.violation().detail()
              + ".");
    } else if (o.completed()) {
      say.line("The oracle checked it: the device's domain mapped that address to that page then.");
    } else {
      say.line(
          "The oracle checked it: nothing the driver had set up required this access to work.");
    }
    for (Check c : r.checks()) {
      if (!c.ok()) {
        say.line("FAILED expectation " + c.what() + ": " + c.detail());
      }
    }
  }

  private static String via(DmaSegment.Source via) {
    return switch (via) {
      case WALK -> "a table walk: the SMMU read the page table, and keeps the result in its TLB";
      case TLB -> "the SMMU's TLB, filled by an earlier walk";
      case ATS_REQUEST ->
          "an ATS translation request: the device asked the SMMU and keeps the answer in its own"
              + " ATC";
      case ATC -> "the device's own ATC, without asking the SMMU";
      case BYPASS -> "nothing: the stream bypasses translation";
    };
  }

  private static String fault(DmaOutcome o, boolean blocked) {
    String f = o.fault();
    if (DmaExpectation.UNRECORDED.equals(f)) {
      if (blocked) {
        return "The stream is blocked: its STE aborts the access without recording an event.";
      }
      if (o.detail() != null && o.detail().startsWith("ATS")) {
        return "The SMMU refused the device's ATS translation request (nothing is mapped there,"
            + " and the device's ATC holds no copy); ATS refusals go back to the device and record"
            + " no event.";
      }
      return "The access was refused without an event record (" + o.detail() + ").";
    }
    String why =
        switch (f) {
          case "F_TRANSLATION" -> "no valid mapping at that address";
          case "F_PERMISSION" -> "the mapping does not allow this access";
          case "C_BAD_CD" -> "the context descriptor for that SubstreamID is invalid";
          case "C_BAD_SUBSTREAMID" -> "the SubstreamID is out of range for the stream";
          case "F_TRANSL_FORBIDDEN", "F_BAD_ATS_TREQ" -> "the ATS request or access is not allowed";
          default -> o.detail();
        };
    return "The SMMU recorded " + f + " in its event queue: " + why + ".";
  }

  private void tagsFreed(Say say, StepResult r) {
    for (TagInfo t : r.tagsFreed()) {
      say.line(
          t.domain()
              + " lost its last user on "
              + t.instance()
              + ", so "
              + t.instance()
              + " freed "
              + t.label()
              + ", after "
              + (t.label().startsWith("ASID") ? "TLBI_NH_ASID" : "TLBI_S12_VMALL")
              + " wiped everything it had cached under it.");
    }
    track(r);
  }

  private void commands(Say say, StepResult r, String explanation) {
    r.commands().forEach((i, c) -> say.line(i + " received " + TextBlocks.counts(c) + "."));
    if (!r.commands().isEmpty() && !explanation.isEmpty()) {
      say.line("That is " + explanation + ".");
    }
  }

  private void track(StepResult r) {
    r.tagsFreed().forEach(t -> live.remove(t.instance() + " " + t.domain()));
    r.tagsAllocated().forEach(t -> live.put(t.instance() + " " + t.domain(), t));
  }

  private static boolean has(StepResult r, String opcode) {
    return r.commands().values().stream().anyMatch(c -> c.containsKey(opcode));
  }

  private static String permissions(int prot) {
    boolean read = (prot & Prot.READ) != 0;
    boolean write = (prot & Prot.WRITE) != 0;
    return read && write ? "readable and writable" : read ? "read-only" : "write-only";
  }

  void closing(PrintWriter out, ScenarioResult r) {
    if (r.violations().isEmpty()) {
      out.println(
          "The isolation oracle watched every map, unmap, attach and detach and judged all "
              + r.dmasChecked()
              + " DMAs");
      out.println(
          "against what the driver allowed at each moment: no device reached memory its domain"
              + " did not map,");
      out.println("and none used a translation after it was removed.");
    }
    out.println();
    out.println(
        "Write your own: 'smmulab demo --scenario > my.yaml', edit it, 'smmulab run my.yaml'.");
    out.println("The format is in docs/scenarios.md; more scenarios are in examples/.");
    out.println();
  }

  private DeviceSpec device(String name) {
    return scenario.devices().stream().filter(d -> d.name().equals(name)).findFirst().orElseThrow();
  }

  private DomainSpec domain(String name) {
    return scenario.domains().stream().filter(d -> d.name().equals(name)).findFirst().orElseThrow();
  }

  /** Prints sentences at an indent, wrapping long ones. */
  private static final class Say {
    private static final int WIDTH = 100;
    private final PrintWriter out;
    private final String indent;

    Say(PrintWriter out, String indent) {
      this.out = out;
      this.indent = indent;
    }

    void line(String text) {
      StringBuilder current = new StringBuilder(indent);
      String hanging = indent + (text.startsWith("  ") ? "    " : "  ");
      for (String word : List.of(text.split(" "))) {
        if (current.length() + word.length() + 1 > WIDTH && current.length() > hanging.length()) {
          out.println(current.toString().stripTrailing());
          current = new StringBuilder(hanging);
        }
        current.append(word).append(' ');
      }
      out.println(current.toString().stripTrailing());
    }
  }
}
