package org.smmulab.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.smmulab.arch.cmd.Opcode;
import org.smmulab.arch.event.EventType;
import org.smmulab.arch.pte.Stage;
import org.smmulab.hw.pcie.AtcEntry;
import org.smmulab.hw.smmu.observe.SmmuStatistics;
import org.smmulab.hw.smmu.tlb.TlbEntry;
import org.smmulab.verify.oracle.Violation;
import org.smmulab.verify.scenario.ArrayEntry;
import org.smmulab.verify.scenario.Check;
import org.smmulab.verify.scenario.DeviceSpec;
import org.smmulab.verify.scenario.DmaOutcome;
import org.smmulab.verify.scenario.DomainSpec;
import org.smmulab.verify.scenario.InstanceSpec;
import org.smmulab.verify.scenario.Scenario;
import org.smmulab.verify.scenario.ScenarioResult;
import org.smmulab.verify.scenario.Snapshot;
import org.smmulab.verify.scenario.StepResult;
import org.smmulab.verify.scenario.TagInfo;

/**
 * The JSON document of a scenario run ({@code smmulab run --json}, {@code smmulab demo --json}):
 * the scenario and its machine, one object per step, the failed expectations, the violations, and
 * the tags and counters at the end. Addresses are {@code 0x} hex strings; counts are numbers.
 */
final class ScenarioJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ScenarioJson() {}

  static ObjectNode of(ScenarioResult r) {
    Scenario s = r.scenario();
    ObjectNode root = MAPPER.createObjectNode();
    root.put("scenario", s.name());
    root.put("file", s.file());
    root.put("description", s.description());
    root.put("passed", r.passed());
    root.set("machine", machine(s));
    ArrayNode steps = root.putArray("steps");
    for (StepResult step : r.steps()) {
      steps.add(step(step));
    }
    root.put("expectationsFailed", r.expectationsFailed());
    ArrayNode violations = root.putArray("violations");
    r.violations().forEach(v -> violations.add(violation(v)));
    root.put("dmasChecked", r.dmasChecked());
    root.set("setupCommands", commands(r.setupCommands()));
    root.set("tags", tags(r.tags()));
    ObjectNode counters = root.putObject("counters");
    r.counters().forEach((name, stats) -> counters.set(name, counters(stats)));
    return root;
  }

  private static ObjectNode machine(Scenario s) {
    ObjectNode machine = MAPPER.createObjectNode();
    ArrayNode instances = machine.putArray("instances");
    for (InstanceSpec i : s.instances()) {
      ObjectNode n = instances.addObject();
      n.put("name", i.name());
      n.put("preset", i.preset());
      n.put("line", i.at().line());
      n.set("config", PresetsCommand.config(i.config()));
    }
    ArrayNode devices = machine.putArray("devices");
    for (DeviceSpec d : s.devices()) {
      ObjectNode n = devices.addObject();
      n.put("name", d.name());
      n.put("instance", d.instance());
      ArrayNode sids = n.putArray("streamIds");
      d.streamIds().forEach(sids::add);
      n.put("ats", d.ats());
      n.put("ssidBits", d.ssidBits());
    }
    ArrayNode domains = machine.putArray("domains");
    for (DomainSpec d : s.domains()) {
      ObjectNode n = domains.addObject();
      n.put("name", d.name());
      n.put("stage", d.stage() == Stage.STAGE_1 ? 1 : 2);
      n.put("granule", d.granule().toString());
      n.put("ias", d.ias());
      n.put("oas", d.oas());
    }
    ObjectNode driver = machine.putObject("driver");
    driver.put("asidSpace", s.driver().asidSpace().name());
    ArrayNode inject = driver.putArray("inject");
    s.driver().injections().stream().map(i -> i.label()).sorted().forEach(inject::add);
    return machine;
  }

  private static ObjectNode step(StepResult r) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("index", r.index());
    n.put("op", r.step().op());
    n.put("line", r.step().at().line());
    n.put("ok", r.ok());
    n.put("description", r.step().describe());
    if (r.message() != null) {
      n.put("message", r.message());
    }
    if (r.error() != null) {
      n.put("error", r.error().label());
      n.put("errorMessage", r.errorMessage());
    }
    if (!r.commands().isEmpty()) {
      n.set("commands", commands(r.commands()));
    }
    if (!r.tagsAllocated().isEmpty()) {
      n.set("tagsAllocated", tagList(r.tagsAllocated(), true));
    }
    if (!r.tagsFreed().isEmpty()) {
      n.set("tagsFreed", tagList(r.tagsFreed(), true));
    }
    if (r.dma() != null) {
      n.set("dma", dma(r.dma()));
    }
    if (!r.checks().isEmpty()) {
      ArrayNode checks = n.putArray("checks");
      for (Check c : r.checks()) {
        ObjectNode cn = checks.addObject();
        cn.put("what", c.what());
        cn.put("ok", c.ok());
        cn.put("detail", c.detail());
      }
    }
    if (r.snapshot() != null) {
      n.set("snapshot", snapshot(r.snapshot()));
    }
    if (r.violation() != null) {
      n.set("violation", violation(r.violation()));
    }
    return n;
  }

  private static ObjectNode dma(DmaOutcome d) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("completed", d.completed());
    if (d.completed()) {
      n.put("pa", hex(d.pa()));
      n.put("via", d.via().name());
    } else {
      n.put("fault", d.fault());
      n.put("detail", d.detail());
    }
    return n;
  }

  static ObjectNode violation(Violation v) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("class", v.kind().label());
    if (v.device() != null) {
      n.put("device", v.device());
      n.put("streamId", v.streamId());
      n.put("iova", hex(v.iova()));
      if (v.pa() < 0) {
        n.putNull("pa");
      } else {
        n.put("pa", hex(v.pa()));
      }
      n.put("start", v.start());
      n.put("end", v.end());
      n.put("via", v.source());
    }
    n.put("detail", v.detail());
    return n;
  }

  private static ObjectNode commands(Map<String, Map<String, Long>> byInstance) {
    ObjectNode n = MAPPER.createObjectNode();
    byInstance.forEach(
        (instance, counts) -> {
          ObjectNode c = n.putObject(instance);
          counts.forEach(c::put);
        });
    return n;
  }

  private static ObjectNode tags(Map<String, List<TagInfo>> byInstance) {
    ObjectNode n = MAPPER.createObjectNode();
    byInstance.forEach((instance, tags) -> n.set(instance, tagList(tags, false)));
    return n;
  }

  private static ArrayNode tagList(List<TagInfo> tags, boolean withInstance) {
    ArrayNode a = MAPPER.createArrayNode();
    for (TagInfo t : tags) {
      ObjectNode n = a.addObject();
      if (withInstance) {
        n.put("instance", t.instance());
      }
      n.put("type", t.type().name());
      n.put("id", t.id());
      n.put("domain", t.domain());
      n.put("users", t.users());
    }
    return a;
  }

  private static ObjectNode snapshot(Snapshot s) {
    ObjectNode n = MAPPER.createObjectNode();
    if (s.tags() != null) {
      n.set("tags", tags(s.tags()));
    }
    if (s.arrays() != null) {
      ObjectNode arrays = n.putObject("arrays");
      s.arrays().forEach((domain, entries) -> arrays.set(domain, entries(entries)));
    }
    if (s.lastCommands() != null) {
      ObjectNode c = n.putObject("commands");
      c.set("lastOperation", commands(s.lastCommands()));
      c.set("sinceStart", commands(s.totalCommands()));
    }
    if (s.tlb() != null) {
      ObjectNode tlb = n.putObject("tlb");
      s.tlb().forEach((instance, entries) -> tlb.set(instance, tlbEntries(entries)));
      ObjectNode atc = n.putObject("atc");
      s.atc().forEach((device, entries) -> atc.set(device, atcEntries(entries)));
    }
    if (s.counters() != null) {
      ObjectNode counters = n.putObject("counters");
      s.counters().forEach((name, stats) -> counters.set(name, counters(stats)));
    }
    return n;
  }

  private static ArrayNode entries(List<ArrayEntry> entries) {
    ArrayNode a = MAPPER.createArrayNode();
    for (ArrayEntry e : entries) {
      ObjectNode n = a.addObject();
      n.put("instance", e.instance());
      n.put("type", e.type().name());
      n.put("id", e.id());
      if (e.type().isAts()) {
        n.put("ssid", e.ssid());
      }
      n.put("users", e.users());
    }
    return a;
  }

  private static ArrayNode tlbEntries(List<TlbEntry> entries) {
    ArrayNode a = MAPPER.createArrayNode();
    for (TlbEntry e : TextBlocks.sortedTlb(entries)) {
      ObjectNode n = a.addObject();
      n.put("kind", e.tag().kind().name());
      n.put("vmid", e.tag().vmid());
      n.put("asid", e.tag().asid());
      n.put("global", e.tag().global());
      n.put("input", hex(e.inputBase()));
      n.put("size", 1L << e.sizeShift());
      n.put("output", hex(e.outputBase()));
      n.put("permissions", TextBlocks.permissions(e.permissions()));
      n.put("level", e.level());
    }
    return a;
  }

  private static ArrayNode atcEntries(List<AtcEntry> entries) {
    ArrayNode a = MAPPER.createArrayNode();
    for (AtcEntry e : TextBlocks.sortedAtc(entries)) {
      ObjectNode n = a.addObject();
      if (e.pasidValid()) {
        n.put("pasid", e.pasid());
      }
      n.put("input", hex(e.inputBase()));
      n.put("size", 1L << e.sizeShift());
      n.put("output", hex(e.outputBase()));
      n.put("permissions", TextBlocks.permissions(e.permissions()));
    }
    return a;
  }

  static ObjectNode counters(SmmuStatistics s) {
    ObjectNode n = MAPPER.createObjectNode();
    ObjectNode commands = n.putObject("commands");
    for (Opcode op : Opcode.values()) {
      Long c = s.commandsByOpcode().get(op.specName());
      if (c != null) {
        commands.put(op.specName(), c);
      }
    }
    ObjectNode errors = n.putObject("commandErrors");
    s.commandErrors().entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> errors.put(e.getKey(), e.getValue()));
    ObjectNode events = n.putObject("events");
    for (EventType t : EventType.values()) {
      Long c = s.eventsByType().get(t.name());
      if (c != null) {
        events.put(t.name(), c);
      }
    }
    n.set("eventQueue", MAPPER.valueToTree(s.eventQueue()));
    n.put("translated", s.translated());
    n.put("bypassed", s.bypassed());
    n.put("terminated", s.terminated());
    n.put("tlbHits", s.tlbHits());
    n.put("walks", s.walks());
    n.set("tlb", MAPPER.valueToTree(s.tlb()));
    n.set("walkCache", MAPPER.valueToTree(s.walkCache()));
    n.set("configCache", MAPPER.valueToTree(s.configCache()));
    n.set("atc", MAPPER.valueToTree(s.atc()));
    return n;
  }

  static String hex(long value) {
    return String.format("0x%x", value);
  }
}
