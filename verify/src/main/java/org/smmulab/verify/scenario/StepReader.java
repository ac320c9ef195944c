package org.smmulab.verify.scenario;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.smmulab.arch.cmd.Opcode;
import org.smmulab.arch.event.EventType;
import org.smmulab.arch.pte.Stage;
import org.smmulab.driver.invs.InvalidationType;
import org.smmulab.driver.pgtable.Prot;
import org.smmulab.hw.pcie.DmaSegment;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads {@code steps:}. Each step is a mapping with one key, the operation, whose value holds its
 * arguments; {@code repeat} blocks are expanded here, with their variable substituted in every
 * scalar of the repeated steps.
 */
final class StepReader {
  static final String BLOCKED = "blocked";
  static final List<String> OPS =
      List.of("attach", "detach", "map", "unmap", "dma", "expect", "show", "repeat");

  /** The most steps a scenario may expand to. */
  static final int MAX_STEPS = 100_000;

  private static final int MAX_REPEAT_DEPTH = 8;
  private static final int PAGE = 4096;
  private static final int MAX_PASID = (1 << 20) - 1;
  private static final List<String> PROT_NAMES =
      List.of("R", "W", "CACHE", "NOEXEC", "MMIO", "PRIV");
  private static final int[] PROT_BITS = {
    Prot.READ, Prot.WRITE, Prot.CACHE, Prot.NOEXEC, Prot.MMIO, Prot.PRIV
  };

  private final Declarations d;
  private final List<Step> out = new ArrayList<>();
  private boolean operationSeen;

  StepReader(Declarations declarations) {
    this.d = declarations;
  }

  List<Step> steps(NodeReader r, Node node) throws ScenarioException {
    List<Node> items = r.list(node, "'steps'");
    if (items.isEmpty()) {
      throw r.error(node, "'steps' needs at least one step");
    }
    for (Node item : items) {
      step(r, item, 0);
    }
    return out;
  }

  private void step(NodeReader r, Node node, int depth) throws ScenarioException {
    if (!(node instanceof MappingNode map) || map.getValue().isEmpty()) {
      throw r.error(
          node,
          "a step must be a mapping with one key naming the operation ("
              + String.join(", ", OPS)
              + "), found "
              + NodeReader.found(node));
    }
    NodeTuple first = map.getValue().get(0);
    String op = r.rawText(first.getKeyNode(), "a step");
    if (!OPS.contains(op)) {
      throw r.error(
          first.getKeyNode(),
          "unknown step "
              + NodeReader.quote(op)
              + "; expected one of: "
              + String.join(", ", OPS)
              + Suggest.didYouMean(op, OPS));
    }
    if (map.getValue().size() > 1) {
      Node extra = map.getValue().get(1).getKeyNode();
      throw r.error(
          extra,
          "a step is one operation, found "
              + NodeReader.found(extra)
              + " beside '"
              + op
              + "'; write the arguments under it, as in '"
              + op
              + ": {...}'");
    }
    if (out.size() >= MAX_STEPS) {
      throw r.error(node, "the scenario expands to more than " + MAX_STEPS + " steps");
    }
    Node args = first.getValueNode();
    switch (op) {
      case "attach" -> attach(r, node, args);
      case "detach" -> detach(r, node, args);
      case "map" -> map(r, node, args);
      case "unmap" -> unmap(r, node, args);
      case "dma" -> dma(r, node, args);
      case "expect" -> expect(r, node, args);
      case "show" -> show(r, node, args);
      default -> repeat(r, args, depth);
    }
  }

  // ---------------------------------------------------------------- operations

  private void attach(NodeReader r, Node step, Node args) throws ScenarioException {
    NodeReader.Fields f = r.fields(args, "attach", List.of("device", "domain", "pasid", "expect"));
    DeviceSpec device = d.device(r, f.require("device"), "'device' of attach");
    Node domainNode = f.require("domain");
    String domain = r.name(domainNode, "'domain' of attach");
    if (domain.equals(BLOCKED)) {
      domain = null;
    } else {
      d.domain(r, domainNode, "'domain' of attach");
    }
    int pasid = pasid(r, f, device);
    if (pasid != 0 && domain == null) {
      throw r.error(f.get("pasid"), "a PASID is detached with 'detach: {device: ..., pasid: ...}'");
    }
    ErrorKind error = expectedError(r, f, "attach", ErrorKind.ATTACH);
    out.add(new AttachStep(r.at(step), device.name(), pasid, domain, error));
    operationSeen = true;
  }

  private void detach(NodeReader r, Node step, Node args) throws ScenarioException {
    DeviceSpec device;
    int pasid = 0;
    if (args instanceof MappingNode) {
      NodeReader.Fields f = r.fields(args, "detach", List.of("device", "pasid", "expect"));
      if (f.has("expect")) {
        throw r.error(f.keyNode("expect"), "detach cannot fail, so it takes no 'expect'");
      }
      device = d.device(r, f.require("device"), "'device' of detach");
      pasid = pasid(r, f, device);
    } else {
      device = d.device(r, args, "detach");
    }
    out.add(new DetachStep(r.at(step), device.name(), pasid));
    operationSeen = true;
  }

  private void map(NodeReader r, Node step, Node args) throws ScenarioException {
    NodeReader.Fields f =
        r.fields(args, "map", List.of("domain", "iova", "pa", "size", "prot", "expect"));
    DomainSpec domain = d.domain(r, f.require("domain"), "'domain' of map");
    long iova = r.number(f.require("iova"), "'iova'");
    long pa = r.number(f.require("pa"), "'pa'");
    long size = r.size(f.require("size"), "'size'");
    checkRange(r, f, domain, iova, size);
    long granule = domain.granule().size();
    if (pa % granule != 0) {
      throw r.error(
          f.get("pa"),
          String.format(
              "pa 0x%x is not aligned to the %s granule of domain %s",
              pa, domain.granule(), domain.name()));
    }
    if (!fits(pa, size, domain.oas())) {
      throw r.error(
          f.get("pa"),
          String.format(
              "[0x%x, +%s) does not fit the %d-bit output addresses of domain %s",
              pa, Numbers.size(size), domain.oas(), domain.name()));
    }
    if (pa < ScenarioMachine.DRIVER_MEMORY_END && pa + size > ScenarioMachine.DRIVER_MEMORY) {
      throw r.error(
          f.get("pa"),
          String.format(
              "[0x%x, +%s) overlaps [0x%x, 0x%x), the memory the driver's tables and queues live"
                  + " in",
              pa,
              Numbers.size(size),
              ScenarioMachine.DRIVER_MEMORY,
              ScenarioMachine.DRIVER_MEMORY_END));
    }
    int prot = f.has("prot") ? prot(r, f.get("prot")) : Prot.READ | Prot.WRITE;
    ErrorKind error = expectedError(r, f, "map", ErrorKind.MAP);
    out.add(new MapStep(r.at(step), domain.name(), iova, pa, size, prot, error));
    operationSeen = true;
  }

  private void unmap(NodeReader r, Node step, Node args) throws ScenarioException {
    NodeReader.Fields f = r.fields(args, "unmap", List.of("domain", "iova", "size", "expect"));
    DomainSpec domain = d.domain(r, f.require("domain"), "'domain' of unmap");
    long iova = r.number(f.require("iova"), "'iova'");
    long size = r.size(f.require("size"), "'size'");
    checkRange(r, f, domain, iova, size);
    ErrorKind error = expectedError(r, f, "unmap", ErrorKind.UNMAP);
    out.add(new UnmapStep(r.at(step), domain.name(), iova, size, error));
    operationSeen = true;
  }

  /** The iova and size of a map or unmap: positive, granule-aligned, inside the IAS. */
  private static void checkRange(
      NodeReader r, NodeReader.Fields f, DomainSpec domain, long iova, long size)
      throws ScenarioException {
    long granule = domain.granule().size();
    if (size == 0) {
      throw r.error(f.get("size"), "'size' must be positive, found 0");
    }
    if (size % granule != 0) {
      throw r.error(
          f.get("size"),
          String.format(
              "size %s is not a multiple of the %s granule of domain %s",
              Numbers.size(size), domain.granule(), domain.name()));
    }
    if (iova % granule != 0) {
      throw r.error(
          f.get("iova"),
          String.format(
              "iova 0x%x is not aligned to the %s granule of domain %s",
              iova, domain.granule(), domain.name()));
    }
    if (!fits(iova, size, domain.ias())) {
      throw r.error(
          f.get("iova"),
          String.format(
              "[0x%x, +%s) does not fit the %d-bit input addresses of domain %s",
              iova, Numbers.size(size), domain.ias(), domain.name()));
    }
  }

  /** Whether {@code [start, start + size)} lies below {@code 2^bits}. */
  private static boolean fits(long start, long size, int bits) {
    long limit = 1L << bits;
    return start >= 0 && size >= 0 && start < limit && size <= limit - start;
  }

  private static int prot(NodeReader r, Node node) throws ScenarioException {
    List<Node> items = r.listOrOne(node, "'prot'");
    int prot = 0;
    for (Node item : items) {
      for (String token : r.text(item, "'prot'").split("[|,\\s]+")) {
        if (token.isEmpty()) {
          continue;
        }
        int index = -1;
        for (int i = 0; i < PROT_NAMES.size(); i++) {
          if (PROT_NAMES.get(i).equalsIgnoreCase(token)) {
            index = i;
          }
        }
        if (index < 0) {
          throw r.error(
              item,
              "'prot' takes "
                  + String.join(", ", PROT_NAMES)
                  + " joined with |, found "
                  + NodeReader.quote(token)
                  + Suggest.didYouMean(token, PROT_NAMES));
        }
        prot |= PROT_BITS[index];
      }
    }
    if ((prot & (Prot.READ | Prot.WRITE)) == 0) {
      throw r.error(node, "'prot' needs R or W (or both), found " + NodeReader.found(node));
    }
    return prot;
  }

  private static int pasid(NodeReader r, NodeReader.Fields f, DeviceSpec device)
      throws ScenarioException {
    if (!f.has("pasid")) {
      return 0;
    }
    Node node = f.get("pasid");
    int pasid = r.integer(node, "'pasid'", 1, MAX_PASID);
    if (device.ssidBits() == 0) {
      throw r.error(
          node, "device " + device.name() + " has no SubstreamIDs (its 'ssid-bits' is 0)");
    }
    if (pasid >= 1 << device.ssidBits()) {
      throw r.error(
          node,
          "PASID "
              + pasid
              + " does not fit the "
              + device.ssidBits()
              + " SubstreamID bits of device "
              + device.name());
    }
    return pasid;
  }

  private static ErrorKind expectedError(
      NodeReader r, NodeReader.Fields f, String op, List<ErrorKind> allowed)
      throws ScenarioException {
    if (!f.has("expect")) {
      return null;
    }
    NodeReader.Fields e = r.fields(f.get("expect"), "'expect' of " + op, List.of("error"));
    List<String> labels = allowed.stream().map(ErrorKind::label).toList();
    return ErrorKind.fromLabel(r.choice(e.require("error"), "'error' of " + op, labels));
  }

  // ---------------------------------------------------------------- dma

  private void dma(NodeReader r, Node step, Node args) throws ScenarioException {
    NodeReader.Fields f =
        r.fields(args, "dma", List.of("device", "pasid", "iova", "access", "size", "expect"));
    DeviceSpec device = d.device(r, f.require("device"), "'device' of dma");
    int pasid = pasid(r, f, device);
    long iova = r.number(f.require("iova"), "'iova'");
    int size = f.has("size") ? r.integer(f.get("size"), "'size'", 1, PAGE) : 8;
    if ((iova & (PAGE - 1)) + size > PAGE) {
      throw r.error(
          f.has("size") ? f.get("size") : f.get("iova"),
          String.format(
              "a DMA stays within one 4K page, but %d bytes from 0x%x cross into the next",
              size, iova));
    }
    boolean write =
        f.has("access")
            && r.choice(f.get("access"), "'access'", List.of("read", "write")).equals("write");
    DmaExpectation expect = f.has("expect") ? dmaExpectation(r, f.get("expect")) : null;
    out.add(new DmaStep(r.at(step), device.name(), pasid, iova, size, write, expect));
  }

  private static DmaExpectation dmaExpectation(NodeReader r, Node node) throws ScenarioException {
    if (!(node instanceof MappingNode)) {
      String word = r.choice(node, "'expect' of dma", List.of("ok", "fault"));
      return new DmaExpectation(word.equals("ok"), null, null, null);
    }
    NodeReader.Fields f = r.fields(node, "'expect' of dma", List.of("pa", "fault", "via", "error"));
    if (f.has("error")) {
      throw r.error(
          f.keyNode("error"),
          "a DMA does not fail with an error; it faults: write 'expect: fault' or"
              + " 'expect: {fault: F_TRANSLATION}'");
    }
    Long pa = f.has("pa") ? r.number(f.get("pa"), "'pa'") : null;
    String fault = null;
    if (f.has("fault")) {
      if (pa != null) {
        throw r.error(f.keyNode("fault"), "a DMA cannot both reach 'pa' and fault");
      }
      List<String> names = new ArrayList<>();
      for (EventType t : EventType.values()) {
        names.add(t.name());
      }
      names.add(DmaExpectation.UNRECORDED);
      fault = r.choice(f.get("fault"), "'fault'", names);
    }
    DmaSegment.Source via = null;
    if (f.has("via")) {
      if (fault != null) {
        throw r.error(f.keyNode("via"), "a DMA that faults is served by nothing: drop 'via'");
      }
      List<String> names = new ArrayList<>();
      for (DmaSegment.Source s : DmaSegment.Source.values()) {
        names.add(s.name());
      }
      via = DmaSegment.Source.valueOf(r.choice(f.get("via"), "'via'", names));
    }
    if (pa == null && fault == null && via == null) {
      throw r.error(node, "'expect' of dma needs pa, fault or via");
    }
    return new DmaExpectation(fault == null, pa, fault, via);
  }

  // ---------------------------------------------------------------- expect

  private void expect(NodeReader r, Node step, Node args) throws ScenarioException {
    NodeReader.Fields f = r.fields(args, "expect", List.of("tags", "arrays", "commands"));
    if (f.keys().isEmpty()) {
      throw r.error(args, "expect needs tags, arrays or commands");
    }
    Map<String, TagExpectation> tags = new LinkedHashMap<>();
    if (f.has("tags")) {
      for (Map.Entry<Node, Node> e : r.entries(f.get("tags"), "'tags'").entrySet()) {
        InstanceSpec instance = d.instance(r, e.getKey(), "'tags'");
        tags.put(instance.name(), tagExpectation(r, instance, e.getValue()));
      }
    }
    Map<String, List<EntryExpectation>> arrays = new LinkedHashMap<>();
    if (f.has("arrays")) {
      for (Map.Entry<Node, Node> e : r.entries(f.get("arrays"), "'arrays'").entrySet()) {
        DomainSpec domain = d.domain(r, e.getKey(), "'arrays'");
        List<EntryExpectation> entries = new ArrayList<>();
        for (Node item : r.list(e.getValue(), "the array of domain " + domain.name())) {
          entries.add(entryExpectation(r, item));
        }
        arrays.put(domain.name(), entries);
      }
    }
    Map<String, Map<String, Long>> commands = new LinkedHashMap<>();
    if (f.has("commands")) {
      if (!operationSeen) {
        throw r.error(
            f.keyNode("commands"),
            "'commands' counts the commands of the last attach, detach, map or unmap, and there"
                + " is none before this step");
      }
      for (Map.Entry<Node, Node> e : r.entries(f.get("commands"), "'commands'").entrySet()) {
        InstanceSpec instance = d.instance(r, e.getKey(), "'commands'");
        commands.put(instance.name(), commandCounts(r, instance, e.getValue()));
      }
    }
    out.add(new ExpectStep(r.at(step), tags, arrays, commands));
  }

  private TagExpectation tagExpectation(NodeReader r, InstanceSpec instance, Node node)
      throws ScenarioException {
    String what = "the tags of " + instance.name();
    if (node instanceof SequenceNode seq) {
      List<TagExpectation.Tag> exact = new ArrayList<>();
      Map<String, Node> seen = new HashMap<>();
      for (Node item : seq.getValue()) {
        NodeReader.Fields f =
            r.fields(item, "a tag of " + instance.name(), List.of("domain", "type", "id", "users"));
        DomainSpec domain = d.domain(r, f.require("domain"), "'domain' of a tag");
        if (seen.putIfAbsent(domain.name(), item) != null) {
          throw r.error(
              f.get("domain"),
              "domain " + domain.name() + " is listed twice; a domain has one tag per instance");
        }
        InvalidationType type = null;
        if (f.has("type")) {
          type =
              InvalidationType.valueOf(
                  r.choice(f.get("type"), "'type' of a tag", List.of("S1_ASID", "S2_VMID")));
          InvalidationType own =
              domain.stage() == Stage.STAGE_1 ? InvalidationType.S1_ASID : InvalidationType.S2_VMID;
          if (type != own) {
            throw r.error(
                f.get("type"),
                "domain "
                    + domain.name()
                    + " is a stage-"
                    + (domain.stage() == Stage.STAGE_1 ? 1 : 2)
                    + " domain; its tags are "
                    + own);
          }
        }
        Integer id = f.has("id") ? r.integer(f.get("id"), "'id' of a tag", 0, 0xffff) : null;
        Integer users =
            f.has("users") ? r.integer(f.get("users"), "'users' of a tag", 0, 1 << 20) : null;
        exact.add(new TagExpectation.Tag(domain.name(), type, id, users));
      }
      return new TagExpectation(exact, null, null);
    }
    if (node instanceof MappingNode) {
      NodeReader.Fields f = r.fields(node, what, List.of("asids", "vmids"));
      if (f.keys().isEmpty()) {
        throw r.error(node, what + " needs asids or vmids");
      }
      Integer asids = f.has("asids") ? r.integer(f.get("asids"), "'asids'", 0, 1 << 16) : null;
      Integer vmids = f.has("vmids") ? r.integer(f.get("vmids"), "'vmids'", 0, 1 << 16) : null;
      return new TagExpectation(null, asids, vmids);
    }
    throw r.error(
        node,
        what
            + " must be a list of tags or a mapping with asids and vmids, found "
            + NodeReader.found(node));
  }

  private EntryExpectation entryExpectation(NodeReader r, Node item) throws ScenarioException {
    NodeReader.Fields f =
        r.fields(item, "an array entry", List.of("instance", "type", "id", "ssid", "users"));
    InstanceSpec instance = d.instance(r, f.require("instance"), "'instance' of an array entry");
    List<String> typeNames = new ArrayList<>();
    for (InvalidationType t : InvalidationType.values()) {
      typeNames.add(t.name());
    }
    InvalidationType type =
        InvalidationType.valueOf(
            r.choice(f.require("type"), "'type' of an array entry", typeNames));
    Long id = f.has("id") ? r.number(f.get("id"), "'id' of an array entry") : null;
    Integer ssid = null;
    if (f.has("ssid")) {
      if (!type.isAts()) {
        throw r.error(f.keyNode("ssid"), "only ATS entries carry an 'ssid', not " + type);
      }
      ssid = r.integer(f.get("ssid"), "'ssid'", 0, MAX_PASID);
    }
    Integer users = f.has("users") ? r.integer(f.get("users"), "'users'", 0, 1 << 20) : null;
    return new EntryExpectation(instance.name(), type, id, ssid, users);
  }

  private static Map<String, Long> commandCounts(NodeReader r, InstanceSpec instance, Node node)
      throws ScenarioException {
    Map<String, Long> counts = new LinkedHashMap<>();
    List<String> names = new ArrayList<>();
    for (Opcode op : Opcode.values()) {
      names.add(op.specName());
    }
    for (Map.Entry<Node, Node> e :
        r.entries(node, "the commands of " + instance.name()).entrySet()) {
      String name = r.text(e.getKey(), "an opcode");
      Opcode op = Opcode.fromName(name);
      if (op == null) {
        throw r.error(
            e.getKey(),
            "unknown opcode "
                + NodeReader.quote(name)
                + " in the commands of "
                + instance.name()
                + Suggest.didYouMean(name, names));
      }
      counts.put(op.specName(), (long) r.integer(e.getValue(), op.specName(), 0, 1 << 30));
    }
    return counts;
  }

  // ---------------------------------------------------------------- show and repeat

  private void show(NodeReader r, Node step, Node args) throws ScenarioException {
    List<String> names = new ArrayList<>();
    for (ShowStep.Part p : ShowStep.Part.values()) {
      names.add(p.label());
    }
    names.add("all");
    Set<ShowStep.Part> parts = EnumSet.noneOf(ShowStep.Part.class);
    List<Node> items = r.listOrOne(args, "show");
    if (items.isEmpty()) {
      throw r.error(args, "show needs one of " + String.join(", ", names));
    }
    for (Node item : items) {
      String name = r.choice(item, "show", names);
      if (name.equals("all")) {
        parts.addAll(EnumSet.allOf(ShowStep.Part.class));
      } else {
        parts.add(ShowStep.Part.valueOf(name.toUpperCase(Locale.ROOT)));
      }
    }
    out.add(new ShowStep(r.at(step), parts));
  }

  private void repeat(NodeReader r, Node args, int depth) throws ScenarioException {
    NodeReader.Fields f = r.fields(args, "repeat", List.of("count", "as", "steps"));
    int count = r.integer(f.require("count"), "'count'", 1, MAX_STEPS);
    String variable = f.has("as") ? r.name(f.get("as"), "'as'") : "i";
    if (r.binds(variable)) {
      throw r.error(
          f.has("as") ? f.get("as") : f.node(),
          "{" + variable + "} is already bound by an enclosing repeat; name another with 'as'");
    }
    if (depth >= MAX_REPEAT_DEPTH) {
      throw r.error(args, "repeat is nested more than " + MAX_REPEAT_DEPTH + " deep");
    }
    List<Node> items = r.list(f.require("steps"), "'steps' of repeat");
    if (items.isEmpty()) {
      throw r.error(f.get("steps"), "'steps' of repeat needs at least one step");
    }
    for (int i = 0; i < count; i++) {
      NodeReader inner = r.with(variable, i);
      for (Node item : items) {
        step(inner, item, depth + 1);
      }
    }
  }
}
