package org.smmulab.verify.scenario;

import java.util.Arrays;
import java.util.List;
import org.smmulab.driver.attach.AttachException;

/** The ways an operation step can fail, by the names scenario files use. */
public enum ErrorKind {
  /** Attach: no ASID or VMID was free on the device's instance. */
  TAG_EXHAUSTED("tag-exhausted"),
  /** Attach: the instance cannot walk the domain's page table. */
  CANNOT_SHARE("cannot-share"),
  /** Attach or map: table memory ran out. */
  OUT_OF_MEMORY("out-of-memory"),
  /** Attach: the request is not supported (for example a PASID on a stage-2 stream). */
  UNSUPPORTED("unsupported"),
  /** Map: part of the range is already mapped. */
  ALREADY_MAPPED("already-mapped"),
  /** Unmap: nothing was mapped at the start of the range (or it lies inside a larger block). */
  NOT_MAPPED("not-mapped");

  /** The kinds an attach can fail with. */
  public static final List<ErrorKind> ATTACH =
      List.of(TAG_EXHAUSTED, CANNOT_SHARE, OUT_OF_MEMORY, UNSUPPORTED);

  /** The kinds a map can fail with. */
  public static final List<ErrorKind> MAP = List.of(ALREADY_MAPPED, OUT_OF_MEMORY);

  /** The kinds an unmap can fail with. */
  public static final List<ErrorKind> UNMAP = List.of(NOT_MAPPED);

  private final String label;

  ErrorKind(String label) {
    this.label = label;
  }

  /** The name in scenario files and reports. */
  public String label() {
    return label;
  }

  /** The kind called {@code label}, or {@code null}. */
  public static ErrorKind fromLabel(String label) {
    return Arrays.stream(values()).filter(k -> k.label.equals(label)).findFirst().orElse(null);
  }

  /** The kind of a failed attach. */
  public static ErrorKind of(AttachException.Kind kind) {
    return switch (kind) {
      case TAG_EXHAUSTED -> TAG_EXHAUSTED;
      case CANNOT_SHARE -> CANNOT_SHARE;
      case OUT_OF_MEMORY -> OUT_OF_MEMORY;
      case UNSUPPORTED -> UNSUPPORTED;
    };
  }
}
