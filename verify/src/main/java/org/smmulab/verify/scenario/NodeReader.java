package org.smmulab.verify.scenario;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads composed YAML nodes as typed values; every failure is a {@link ScenarioException} at the
 * node that caused it. Scalars may use variables written {@code {i}}, bound by {@code repeat} and
 * by declarations with {@code count}; a reader is immutable and {@link #with} makes one with one
 * more binding.
 *
 * <p>In messages, {@code what} names the value as the user wrote it, usually its key in quotes
 * ({@code "'iova'"}).
 */
final class NodeReader {
  private static final Pattern VARIABLE = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)\\}");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
  private static final int QUOTED_MAX = 40;

  private final String file;
  private final Map<String, String> variables;

  NodeReader(String file) {
    this(file, Map.of());
  }

  private NodeReader(String file, Map<String, String> variables) {
    this.file = file;
    this.variables = variables;
  }

  /** A reader in which {@code {variable}} stands for {@code value}. */
  NodeReader with(String variable, long value) {
    Map<String, String> more = new HashMap<>(variables);
    more.put(variable, Long.toString(value));
    return new NodeReader(file, more);
  }

  /** Whether {@code variable} is bound. */
  boolean binds(String variable) {
    return variables.containsKey(variable);
  }

  String file() {
    return file;
  }

  Position at(Node node) {
    return at(node.getStartMark());
  }

  Position at(Mark mark) {
    return new Position(file, mark.getLine() + 1, mark.getColumn() + 1);
  }

  ScenarioException error(Node node, String problem) {
    return new ScenarioException(at(node), problem);
  }

  /** What a node is, for "found ..." in messages. */
  static String found(Node node) {
    if (node instanceof MappingNode) {
      return "a mapping";
    }
    if (node instanceof SequenceNode) {
      return "a list";
    }
    String value = ((ScalarNode) node).getValue();
    if (value.isEmpty() || node.getTag().equals(Tag.NULL)) {
      return "nothing";
    }
    return quote(value);
  }

  static String quote(String text) {
    String t = text.length() > QUOTED_MAX ? text.substring(0, QUOTED_MAX) + "..." : text;
    return "'" + t.replaceAll("\\R", " ") + "'";
  }

  // ---------------------------------------------------------------- scalars

  /** The scalar's text with variables replaced. */
  String text(Node node, String what) throws ScenarioException {
    String raw = rawText(node, what);
    Matcher m = VARIABLE.matcher(raw);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = variables.get(m.group(1));
      if (value == null) {
        throw error(
            node,
            what
                + " uses {"
                + m.group(1)
                + "}, which is not bound here"
                + (variables.isEmpty()
                    ? " (variables exist only inside repeat and in declarations with count)"
                    : " (bound: " + String.join(", ", variables.keySet()) + ")"));
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** The scalar's text as written. */
  String rawText(Node node, String what) throws ScenarioException {
    if (!(node instanceof ScalarNode scalar)) {
      throw error(node, what + " must be a single value, found " + found(node));
    }
    return scalar.getValue();
  }

  /** A name: letters, digits, {@code _ . -}, not starting with a punctuation mark. */
  String name(Node node, String what) throws ScenarioException {
    String text = textOf(node, what, "a name");
    if (!NAME.matcher(text).matches()) {
      throw error(
          node, what + " must be a name (letters, digits, '_', '.', '-'), found " + quote(text));
    }
    return text;
  }

  /** A number: decimal or 0x hex, up to 64 bits unsigned. */
  long number(Node node, String what) throws ScenarioException {
    String text = textOf(node, what, "a number");
    Long value = Numbers.parse(text);
    if (value == null) {
      throw error(node, what + " must be a number (decimal or 0x hex), found " + quote(text));
    }
    return value;
  }

  /** An int in {@code [min, max]}. */
  int integer(Node node, String what, int min, int max) throws ScenarioException {
    long value = number(node, what);
    if (value < min || value > max) {
      throw error(node, what + " must be " + min + ".." + max + ", found " + value);
    }
    return (int) value;
  }

  /** A size in bytes: a number, or a number with K, M or G. */
  long size(Node node, String what) throws ScenarioException {
    String text = textOf(node, what, "a size");
    Long value = Numbers.parseSize(text);
    if (value == null) {
      throw error(
          node,
          what
              + " must be a size (a number, or a number followed by K, M or G), found "
              + quote(text));
    }
    return value;
  }

  /** {@code true} or {@code false}. */
  boolean bool(Node node, String what) throws ScenarioException {
    String text = textOf(node, what, "true or false").toLowerCase(Locale.ROOT);
    if (text.equals("true")) {
      return true;
    }
    if (text.equals("false")) {
      return false;
    }
    throw error(node, what + " must be true or false, found " + found(node));
  }

  /** One of {@code choices} (case-insensitive), returned as spelled in {@code choices}. */
  String choice(Node node, String what, List<String> choices) throws ScenarioException {
    String text = textOf(node, what, "one of " + String.join(", ", choices));
    for (String c : choices) {
      if (c.equalsIgnoreCase(text)) {
        return c;
      }
    }
    throw error(
        node,
        what
            + " must be one of "
            + String.join(", ", choices)
            + ", found "
            + quote(text)
            + Suggest.didYouMean(text, choices));
  }

  private String textOf(Node node, String what, String expected) throws ScenarioException {
    if (!(node instanceof ScalarNode)) {
      throw error(node, what + " must be " + expected + ", found " + found(node));
    }
    String text = text(node, what).trim();
    if (text.isEmpty() || node.getTag().equals(Tag.NULL)) {
      throw error(node, what + " must be " + expected + ", found nothing");
    }
    return text;
  }

  // ---------------------------------------------------------------- collections

  /** The items of a list. */
  List<Node> list(Node node, String what) throws ScenarioException {
    if (!(node instanceof SequenceNode seq)) {
      throw error(node, what + " must be a list, found " + found(node));
    }
    return seq.getValue();
  }

  /** The items of a list, or the node itself when it is a single value. */
  List<Node> listOrOne(Node node, String what) throws ScenarioException {
    if (node instanceof ScalarNode) {
      return List.of(node);
    }
    return list(node, what);
  }

  /**
   * The entries of a mapping whose keys are names the user chooses (instances, domains, opcodes),
   * in file order.
   */
  Map<Node, Node> entries(Node node, String what) throws ScenarioException {
    if (!(node instanceof MappingNode map)) {
      throw error(node, what + " must be a mapping, found " + found(node));
    }
    Map<Node, Node> out = new LinkedHashMap<>();
    Map<String, Node> seen = new HashMap<>();
    for (NodeTuple t : map.getValue()) {
      String key = text(t.getKeyNode(), "a key of " + what);
      Node first = seen.putIfAbsent(key, t.getKeyNode());
      if (first != null) {
        throw error(
            t.getKeyNode(),
            "duplicate key "
                + quote(key)
                + " in "
                + what
                + " (first at line "
                + at(first).line()
                + ")");
      }
      out.put(t.getKeyNode(), t.getValueNode());
    }
    return out;
  }

  /** A mapping with a fixed set of keys; any other key is an error naming the known ones. */
  Fields fields(Node node, String what, List<String> keys) throws ScenarioException {
    if (!(node instanceof MappingNode map)) {
      throw error(node, what + " must be a mapping, found " + found(node));
    }
    Map<String, Node> values = new LinkedHashMap<>();
    Map<String, Node> keyNodes = new HashMap<>();
    for (NodeTuple t : map.getValue()) {
      Node keyNode = t.getKeyNode();
      String key = rawText(keyNode, "a key of " + what);
      if (!keys.contains(key)) {
        throw error(
            keyNode,
            "unknown key "
                + quote(key)
                + " in "
                + what
                + "; expected one of: "
                + String.join(", ", keys)
                + Suggest.didYouMean(key, keys));
      }
      if (values.containsKey(key)) {
        throw error(
            keyNode,
            "duplicate key "
                + quote(key)
                + " in "
                + what
                + " (first at line "
                + at(keyNodes.get(key)).line()
                + ")");
      }
      values.put(key, t.getValueNode());
      keyNodes.put(key, keyNode);
    }
    return new Fields(map, what, values, keyNodes);
  }

  /** The values of a mapping read with {@link #fields}. */
  final class Fields {
    private final MappingNode node;
    private final String what;
    private final Map<String, Node> values;
    private final Map<String, Node> keyNodes;

    private Fields(
        MappingNode node, String what, Map<String, Node> values, Map<String, Node> keyNodes) {
      this.node = node;
      this.what = what;
      this.values = values;
      this.keyNodes = keyNodes;
    }

    /** The mapping itself. */
    MappingNode node() {
      return node;
    }

    boolean has(String key) {
      return values.containsKey(key);
    }

    /** The value of {@code key}, or {@code null}. */
    Node get(String key) {
      return values.get(key);
    }

    /** The key node of {@code key}, which must be present. */
    Node keyNode(String key) {
      return keyNodes.get(key);
    }

    /** The value of {@code key}, which must be present. */
    Node require(String key) throws ScenarioException {
      Node value = values.get(key);
      if (value == null) {
        throw error(node, what + " needs " + quote(key));
      }
      return value;
    }

    /** The keys present, in file order. */
    List<String> keys() {
      return new ArrayList<>(values.keySet());
    }
  }
}
