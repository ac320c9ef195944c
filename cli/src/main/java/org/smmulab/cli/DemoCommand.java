package org.smmulab.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.smmulab.verify.scenario.Scenario;
import org.smmulab.verify.scenario.ScenarioException;
import org.smmulab.verify.scenario.ScenarioLoader;
import picocli.CommandLine;

/**
 * {@code smmulab demo}: runs the bundled scenario {@code demo.yaml} and narrates it — what was
 * attached where, which tags each SMMU allocated, which commands each received, what each DMA did,
 * and what the oracle concluded.
 */
@CommandLine.Command(
    name = "demo",
    header = "Run the bundled demo scenario and explain every step.",
    mixinStandardHelpOptions = true,
    description =
        "Run a bundled scenario (two SMMUs, three devices, a domain shared across both SMMUs) and explain each step: attaches, cache tags, commands, DMAs, invalidations, and the isolation oracle's verdict. Exit 0 when everything held, 1 otherwise.")
final class DemoCommand implements Callable<Integer> {
  /** The bundled scenario, next to this class. */
  static final String SCENARIO = "demo.yaml";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Option(
      names = "--scenario",
      description = "Print the demo's scenario file and exit: a starting point for your own.")
  boolean printScenario;

  @CommandLine.Option(
      names = "--json",
      description = "Print the run as one JSON document (as smmulab run --json) instead of text.")
  boolean json;

  @CommandLine.Option(
      names = "--trace",
      paramLabel = "FILE.jsonl",
      description = "Write every command, event and translation there, one JSON object per line.")
  Path trace;

  @Override
  public Integer call() throws IOException {
    String text = bundledScenario();
    PrintWriter out = spec.commandLine().getOut();
    if (printScenario) {
      out.print(text);
      out.flush();
      return 0;
    }
    Scenario scenario;
    try {
      scenario = ScenarioLoader.parse(text, SCENARIO);
    } catch (ScenarioException e) {
      throw new IllegalStateException("the bundled demo scenario is invalid: " + e.getMessage(), e);
    }
    if (!json) {
      intro(out);
    }
    return ScenarioExecution.run(spec, scenario, json, trace, true);
  }

  /** The text of the bundled scenario. */
  static String bundledScenario() {
    try (InputStream in = DemoCommand.class.getResourceAsStream(SCENARIO)) {
      if (in == null) {
        throw new IllegalStateException(SCENARIO + " is missing from the command's resources");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void intro(PrintWriter out) {
    out.println("SMMU Lab demo");
    out.println();
    out.println(
        "An IOMMU (on Arm, an SMMU) stands between devices and memory: each device's DMA uses I/O");
    out.println(
        "virtual addresses (IOVAs) that the SMMU translates through the page table of the domain");
    out.println(
        "the device is attached to. The SMMU caches translations in its TLB, tagged with an ASID");
    out.println(
        "(stage 1) or VMID (stage 2), so the driver must tell it, with invalidation commands, to");
    out.println("forget a translation before the memory behind it is reused.");
    out.println();
    out.println(
        "SMMU Lab runs a Linux-style driver on a model of that hardware. This demo is a scenario");
    out.println(
        "file, like those in examples/, run step by step. Each step line shows ok or FAIL, its");
    out.println(
        "index, its line in the file and what it does; below it, what the driver and the SMMUs did.");
    out.println(
        "Throughout, an isolation oracle records every map, unmap, attach and detach and judges");
    out.println("every DMA against them.");
    out.println();
  }
}
