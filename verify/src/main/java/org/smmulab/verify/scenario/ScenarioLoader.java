package org.smmulab.verify.scenario;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.smmulab.arch.pte.Granule;
import org.smmulab.arch.pte.Stage;
import org.smmulab.driver.inject.Injection;
import org.smmulab.driver.pgtable.PageTableConfig;
import org.smmulab.driver.tags.AsidSpace;
import org.smmulab.hw.smmu.SmmuConfig;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads a scenario file (format: {@code docs/scenarios.md}) into a checked {@link Scenario}.
 *
 * <p>The YAML is composed into nodes that keep their positions (SnakeYAML), then read against the
 * format: every problem is reported as a {@link ScenarioException} at the node that caused it —
 * YAML syntax, an unknown key or step, a value of the wrong type, a name that was never declared,
 * or a value the machine cannot have (a device on a missing instance, a size that is not a multiple
 * of the granule, a StreamID wider than the instance's, a DMA crossing a page, ...). Only the first
 * problem is reported.
 *
 * <p>Stateless and thread-safe.
 */
public final class ScenarioLoader {
  static final List<String> TOP_KEYS =
      List.of("scenario", "description", "driver", "instances", "devices", "domains", "steps");
  private static final List<String> DRIVER_KEYS = List.of("asid-space", "inject");
  private static final List<String> DEVICE_KEYS =
      List.of("name", "instance", "sid", "ats", "atc-entries", "ssid-bits", "count");
  private static final List<String> DOMAIN_KEYS =
      List.of("name", "stage", "granule", "ias", "oas", "count");
  private static final int MAX_COUNT = 4096;
  private static final int MAX_ATC_ENTRIES = 4096;
  private static final int DEFAULT_ATC_ENTRIES = 32;
  private static final int MAX_ALIASES = 64;

  private ScenarioLoader() {}

  /**
   * Loads the scenario in {@code file}; positions name the file as given.
   *
   * @throws IOException if the file cannot be read
   * @throws ScenarioException if it is not a valid scenario
   */
  public static Scenario load(Path file) throws IOException, ScenarioException {
    return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
  }

  /**
   * Parses scenario text.
   *
   * @param file the name positions are reported under
   * @throws ScenarioException if it is not a valid scenario
   */
  public static Scenario parse(String text, String file) throws ScenarioException {
    NodeReader r = new NodeReader(file);
    Node root = compose(text, r);
    if (root == null) {
      throw new ScenarioException(
          new Position(file, 1, 1),
          "the file is empty; expected a mapping with 'instances' and 'steps'");
    }
    if (!(root instanceof MappingNode)) {
      throw r.error(
          root,
          "a scenario must be a mapping with 'instances' and 'steps', found "
              + NodeReader.found(root));
    }
    NodeReader.Fields top = r.fields(root, "the scenario", TOP_KEYS);
    String name = top.has("scenario") ? r.rawText(top.get("scenario"), "'scenario'").strip() : "";
    if (name.isEmpty()) {
      name = defaultName(file);
    }
    String description =
        top.has("description") ? r.rawText(top.get("description"), "'description'").strip() : "";
    DriverSpec driver = top.has("driver") ? driver(r, top.get("driver")) : DriverSpec.DEFAULT;

    Declarations d = new Declarations();
    Node instances = top.require("instances");
    List<Node> instanceNodes = r.list(instances, "'instances'");
    if (instanceNodes.isEmpty()) {
      throw r.error(instances, "'instances' needs at least one SMMU instance");
    }
    for (Node n : instanceNodes) {
      InstanceSpec spec = InstanceReader.read(r, n);
      declare(r, n, "instance", spec.name(), spec, d.instances);
    }
    if (top.has("devices")) {
      Map<String, Map<Integer, String>> streams = new HashMap<>();
      for (Node n : r.list(top.get("devices"), "'devices'")) {
        for (DeviceSpec spec : devices(r, n, d, streams)) {
          declare(r, n, "device", spec.name(), spec, d.devices);
        }
      }
    }
    if (top.has("domains")) {
      for (Node n : r.list(top.get("domains"), "'domains'")) {
        for (DomainSpec spec : domains(r, n)) {
          declare(r, n, "domain", spec.name(), spec, d.domains);
        }
      }
    }
    List<Step> steps = new StepReader(d).steps(r, top.require("steps"));
    return new Scenario(
        file,
        name,
        description,
        driver,
        List.copyOf(d.instances.values()),
        List.copyOf(d.devices.values()),
        List.copyOf(d.domains.values()),
        steps);
  }

  private static Node compose(String text, NodeReader r) throws ScenarioException {
    LoaderOptions options = new LoaderOptions();
    options.setMaxAliasesForCollections(MAX_ALIASES);
    options.setAllowRecursiveKeys(false);
    try {
      return new Yaml(new SafeConstructor(options)).compose(new StringReader(text));
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
      String context = e.getContext() != null ? " (" + e.getContext() + ")" : "";
      Position at = mark != null ? r.at(mark) : new Position(r.file(), 1, 1);
      throw new ScenarioException(at, "YAML syntax error: " + problem + context);
    } catch (YAMLException e) {
      throw new ScenarioException(
          new Position(r.file(), 1, 1), "YAML syntax error: " + e.getMessage());
    }
  }

  private static String defaultName(String file) {
    String base = Path.of(file).getFileName().toString();
    int dot = base.lastIndexOf('.');
    return dot > 0 ? base.substring(0, dot) : base;
  }

  private static <T> void declare(
      NodeReader r, Node node, String kind, String name, T spec, Map<String, T> declared)
      throws ScenarioException {
    T first = declared.putIfAbsent(name, spec);
    if (first != null) {
      throw r.error(node, kind + " " + name + " is declared twice");
    }
  }

  // ---------------------------------------------------------------- driver

  private static DriverSpec driver(NodeReader r, Node node) throws ScenarioException {
    NodeReader.Fields f = r.fields(node, "'driver'", DRIVER_KEYS);
    AsidSpace space = AsidSpace.PER_INSTANCE;
    if (f.has("asid-space")) {
      space =
          r.choice(f.get("asid-space"), "'asid-space'", List.of("per-instance", "global"))
                  .equals("global")
              ? AsidSpace.GLOBAL
              : AsidSpace.PER_INSTANCE;
    }
    Set<Injection> injections = EnumSet.noneOf(Injection.class);
    Map<Injection, Position> injectedAt = new EnumMap<>(Injection.class);
    if (f.has("inject")) {
      List<String> labels = new ArrayList<>();
      for (Injection i : Injection.values()) {
        labels.add(i.label());
      }
      for (Node item : r.listOrOne(f.get("inject"), "'inject'")) {
        Injection injection = Injection.fromLabel(r.choice(item, "an injection", labels));
        injections.add(injection);
        injectedAt.putIfAbsent(injection, r.at(item));
      }
    }
    return new DriverSpec(space, injections, injectedAt);
  }

  // ---------------------------------------------------------------- devices

  private static List<DeviceSpec> devices(
      NodeReader r, Node node, Declarations d, Map<String, Map<Integer, String>> streams)
      throws ScenarioException {
    NodeReader.Fields f = r.fields(node, "a device", DEVICE_KEYS);
    int count = f.has("count") ? r.integer(f.get("count"), "'count'", 1, MAX_COUNT) : 1;
    Node nameNode = f.require("name");
    if (count > 1 && !r.rawText(nameNode, "'name'").contains("{i}")) {
      throw r.error(
          nameNode,
          "a device with 'count' needs {i} in its name, found " + NodeReader.found(nameNode));
    }
    List<DeviceSpec> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(device(count > 1 ? r.with("i", i) : r, f, i, count > 1, d, streams));
    }
    return out;
  }

  private static DeviceSpec device(
      NodeReader r,
      NodeReader.Fields f,
      int copy,
      boolean counted,
      Declarations d,
      Map<String, Map<Integer, String>> streams)
      throws ScenarioException {
    String name = r.name(f.require("name"), "'name'");
    Node instanceNode = f.require("instance");
    InstanceSpec instance = d.instance(r, instanceNode, "'instance' of device " + name);
    Node sidNode = f.require("sid");
    List<Node> sidNodes = r.listOrOne(sidNode, "'sid'");
    if (sidNodes.isEmpty()) {
      throw r.error(sidNode, "'sid' needs at least one StreamID");
    }
    if (counted && sidNodes.size() > 1) {
      throw r.error(
          sidNode, "a device with 'count' takes one 'sid' (copy i gets StreamID sid + i)");
    }
    SmmuConfig config = instance.config();
    List<Integer> sids = new ArrayList<>();
    Map<Integer, String> used = streams.computeIfAbsent(instance.name(), x -> new HashMap<>());
    for (Node s : sidNodes) {
      long sid = r.number(s, "'sid'") + copy;
      if (config.sidBits() < 32 && sid >= 1L << config.sidBits() || sid > 0xffff_ffffL) {
        throw r.error(
            s,
            String.format(
                "StreamID 0x%x of device %s does not fit the %d-bit StreamIDs of %s",
                sid, name, config.sidBits(), instance.name()));
      }
      String owner = used.putIfAbsent((int) sid, name);
      if (owner != null) {
        throw r.error(
            s,
            String.format(
                "StreamID 0x%x of device %s already belongs to %s on %s",
                sid, name, owner, instance.name()));
      }
      sids.add((int) sid);
    }
    boolean ats = f.has("ats") && r.bool(f.get("ats"), "'ats'");
    int atcEntries =
        f.has("atc-entries")
            ? r.integer(f.get("atc-entries"), "'atc-entries'", 1, MAX_ATC_ENTRIES)
            : DEFAULT_ATC_ENTRIES;
    if (f.has("atc-entries") && !ats) {
      throw r.error(f.get("atc-entries"), "'atc-entries' needs 'ats: true' on device " + name);
    }
    int ssidBits = f.has("ssid-bits") ? r.integer(f.get("ssid-bits"), "'ssid-bits'", 0, 20) : 0;
    return new DeviceSpec(r.at(f.node()), name, instance.name(), sids, ats, atcEntries, ssidBits);
  }

  // ---------------------------------------------------------------- domains

  private static List<DomainSpec> domains(NodeReader r, Node node) throws ScenarioException {
    NodeReader.Fields f = r.fields(node, "a domain", DOMAIN_KEYS);
    int count = f.has("count") ? r.integer(f.get("count"), "'count'", 1, MAX_COUNT) : 1;
    Node nameNode = f.require("name");
    if (count > 1 && !r.rawText(nameNode, "'name'").contains("{i}")) {
      throw r.error(
          nameNode,
          "a domain with 'count' needs {i} in its name, found " + NodeReader.found(nameNode));
    }
    List<DomainSpec> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(domain(count > 1 ? r.with("i", i) : r, f));
    }
    return out;
  }

  private static DomainSpec domain(NodeReader r, NodeReader.Fields f) throws ScenarioException {
    Node nameNode = f.require("name");
    String name = r.name(nameNode, "'name'");
    if (name.equals(StepReader.BLOCKED)) {
      throw r.error(nameNode, "'blocked' is the name of the blocked domain; choose another name");
    }
    Stage stage = Stage.STAGE_1;
    if (f.has("stage")) {
      stage =
          r.choice(f.get("stage"), "'stage'", List.of("1", "2")).equals("1")
              ? Stage.STAGE_1
              : Stage.STAGE_2;
    }
    Granule granule = Granule.SIZE_4K;
    if (f.has("granule")) {
      granule =
          Granule.ofSize(
              Numbers.parseSize(
                  r.choice(f.get("granule"), "'granule'", List.of("4K", "16K", "64K"))));
    }
    int ias =
        f.has("ias")
            ? r.integer(
                f.get("ias"),
                "'ias'",
                PageTableConfig.MIN_ADDRESS_BITS,
                PageTableConfig.MAX_ADDRESS_BITS)
            : PageTableConfig.MAX_ADDRESS_BITS;
    int oas = PageTableConfig.MAX_ADDRESS_BITS;
    if (f.has("oas")) {
      oas =
          Integer.parseInt(
              r.choice(f.get("oas"), "'oas'", List.of("32", "36", "40", "42", "44", "48")));
    }
    return new DomainSpec(r.at(f.node()), name, stage, granule, ias, oas);
  }
}
