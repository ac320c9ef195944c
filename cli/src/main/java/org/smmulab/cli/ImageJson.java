package org.smmulab.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.smmulab.arch.codec.Field;
import org.smmulab.arch.codec.Layout;
import org.smmulab.arch.codec.QwordImage;

/**
 * The fields of an architected image (STE, CD, command, event, descriptor) as JSON: every non-zero
 * field by its name; a named encoding as its name, an address or a field wider than 53 bits (beyond
 * what a JSON number holds exactly) as a {@code 0x} hex string, anything else as a number; set bits
 * outside every field as {@code "q<n>.reserved"} hex strings.
 */
final class ImageJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int EXACT_JSON_BITS = 53;

  private ImageJson() {}

  static ObjectNode fields(QwordImage image) {
    ObjectNode n = MAPPER.createObjectNode();
    Layout layout = image.layout();
    long[] q = image.toQwords();
    for (Field f : layout.fields()) {
      long v = f.get(q);
      if (v == 0) {
        continue;
      }
      if (f.names() != null) {
        n.put(f.name(), f.names().nameOf(v));
      } else if (f.isAddress() || f.width() > EXACT_JSON_BITS) {
        n.put(f.name(), String.format("0x%x", v));
      } else {
        n.put(f.name(), v);
      }
    }
    long[] defined = layout.definedBits();
    for (int i = 0; i < q.length; i++) {
      long stray = q[i] & ~defined[i];
      if (stray != 0) {
        n.put("q" + i + ".reserved", String.format("0x%x", stray));
      }
    }
    return n;
  }

  static ArrayNode qwords(QwordImage image) {
    ArrayNode a = MAPPER.createArrayNode();
    Layout.hex(image.toQwords()).forEach(a::add);
    return a;
  }
}
