package org.smmulab.verify.scenario;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.Node;

/**
 * The instances, devices and domains declared so far, by name, and the look-ups that turn a name in
 * the file into a declaration or an "unknown name" error at that name.
 */
final class Declarations {
  private static final int NAMES_LISTED = 8;

  final Map<String, InstanceSpec> instances = new LinkedHashMap<>();
  final Map<String, DeviceSpec> devices = new LinkedHashMap<>();
  final Map<String, DomainSpec> domains = new LinkedHashMap<>();

  InstanceSpec instance(NodeReader r, Node node, String what) throws ScenarioException {
    return lookUp(r, node, what, "instance", instances);
  }

  DeviceSpec device(NodeReader r, Node node, String what) throws ScenarioException {
    return lookUp(r, node, what, "device", devices);
  }

  DomainSpec domain(NodeReader r, Node node, String what) throws ScenarioException {
    return lookUp(r, node, what, "domain", domains);
  }

  private static <T> T lookUp(
      NodeReader r, Node node, String what, String kind, Map<String, T> declared)
      throws ScenarioException {
    String name = r.name(node, what);
    T found = declared.get(name);
    if (found == null) {
      throw r.error(
          node,
          "unknown "
              + kind
              + " "
              + NodeReader.quote(name)
              + " in "
              + what
              + "; "
              + listing(kind, declared)
              + Suggest.didYouMean(name, declared.keySet()));
    }
    return found;
  }

  /** {@code "declared devices: a, b"} or {@code "no device is declared"}. */
  static String listing(String kind, Map<String, ?> declared) {
    if (declared.isEmpty()) {
      return "no " + kind + " is declared";
    }
    List<String> names = new ArrayList<>(declared.keySet());
    String shown = String.join(", ", names.subList(0, Math.min(NAMES_LISTED, names.size())));
    return "declared " + kind + "s: " + shown + (names.size() > NAMES_LISTED ? ", ..." : "");
  }
}
