package org.smmulab.driver.inject;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The driver bugs that can be injected, by the names users type. */
public enum Injection {
  /** Unmap sends no TLBI (IOTLB invalidations are skipped by the invalidation walker). */
  SKIP_TLBI("skip-tlbi"),
  /** Unmap sends no ATC_INV. */
  SKIP_ATC_INV("skip-atc-inv"),
  /** A tag is freed without its whole-tag invalidation. */
  SKIP_TAG_FLUSH("skip-tag-flush"),
  /** A tag is freed (without flush) while an attachment still uses it. */
  EARLY_TAG_FREE("early-tag-free"),
  /** Unmaps that free table pages invalidate leaf entries only. */
  LEAF_ONLY_TABLE_FREE("leaf-only-table-free"),
  /** STE and CD writes are followed by CMD_SYNC without CFGI. */
  SKIP_CFGI("skip-cfgi"),
  /** STE and CD updates write every qword at once in ascending order, then sync once. */
  UNSAFE_ENTRY_UPDATE("unsafe-entry-update"),
  /** Invalidation batches are posted without CMD_SYNC, and unmap does not wait for them. */
  MISSING_SYNC("missing-sync");

  private final String label;

  Injection(String label) {
    this.label = label;
  }

  /** The name users type ({@code skip-tlbi}, ...). */
  public String label() {
    return label;
  }

  /**
   * The injection called {@code label}.
   *
   * @throws IllegalArgumentException naming the known injections if there is none
   */
  public static Injection fromLabel(String label) {
    for (Injection i : values()) {
      if (i.label.equals(label)) {
        return i;
      }
    }
    throw new IllegalArgumentException(
        "unknown injection '"
            + label
            + "'; known: "
            + Arrays.stream(values()).map(Injection::label).collect(Collectors.joining(", ")));
  }
}
