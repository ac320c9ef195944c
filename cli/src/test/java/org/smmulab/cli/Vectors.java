package org.smmulab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The external test vectors, from {@code -Dsmmulab.vectors=DIR} or the {@code shared/vectors}
 * folder in or beside a parent of the working directory (as the arch module's tests find them). A
 * missing folder fails the test: the vectors are never skipped.
 */
final class Vectors {
  private Vectors() {}

  static JsonNode load(String name) {
    Path file = directory().resolve(name);
    try {
      return new ObjectMapper().readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read test vectors " + file, e);
    }
  }

  private static Path directory() {
    String property = System.getProperty("smmulab.vectors");
    if (property != null) {
      return Path.of(property);
    }
    Path here = Path.of("").toAbsolutePath();
    for (Path p = here; p != null; p = p.getParent()) {
      for (Path candidate :
          new Path[] {p.resolve("shared/vectors"), p.resolveSibling("shared").resolve("vectors")}) {
        if (Files.isDirectory(candidate)) {
          return candidate;
        }
      }
    }
    throw new IllegalStateException(
        "test vectors not found in or beside any parent of " + here + "; set -Dsmmulab.vectors");
  }
}
