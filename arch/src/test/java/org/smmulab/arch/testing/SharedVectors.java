package org.smmulab.arch.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Loads the external test vectors (KUnit, io-pgtable selftests, QEMU qtest) from the {@code
 * shared/} folder that sits beside the repository, or from the folder named by the system property
 * {@code smmulab.vectors}. A missing folder fails the test with a message saying where it looked:
 * the vectors are never silently skipped.
 */
public final class SharedVectors {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SharedVectors() {}

  /** The parsed JSON of {@code vectors/<name>}, e.g. {@code "kunit-vectors.json"}. */
  public static JsonNode load(String name) {
    Path file = directory().resolve(name);
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read test vectors " + file, e);
    }
  }

  /**
   * Parses a {@code "0x..."} hex string (the vectors' number format) as an unsigned 64-bit value.
   */
  public static long hex(JsonNode node) {
    return hex(node.asText());
  }

  /** Parses {@code "0x..."} or plain hex as an unsigned 64-bit value. */
  public static long hex(String text) {
    String t = text.trim();
    if (t.startsWith("0x") || t.startsWith("0X")) {
      t = t.substring(2);
    }
    return Long.parseUnsignedLong(t, 16);
  }

  /** A JSON array of hex strings as qwords. */
  public static long[] qwords(JsonNode array) {
    long[] out = new long[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = hex(array.get(i));
    }
    return out;
  }

  /** The vectors folder: {@code -Dsmmulab.vectors}, else {@code shared/vectors} beside the repo. */
  public static Path directory() {
    String property = System.getProperty("smmulab.vectors");
    if (property != null) {
      return Path.of(property);
    }
    Path here = Path.of("").toAbsolutePath();
    for (Path p = here; p != null; p = p.getParent()) {
      for (Path candidate :
          List.of(p.resolve("shared/vectors"), p.resolveSibling("shared").resolve("vectors"))) {
        if (Files.isDirectory(candidate)) {
          return candidate;
        }
      }
    }
    throw new IllegalStateException(
        "test vectors not found: looked for shared/vectors in and beside every parent of "
            + here
            + "; set -Dsmmulab.vectors=DIR");
  }
}
