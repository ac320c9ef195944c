package org.smmulab.arch.ste;

import org.smmulab.arch.codec.ValueNames;

/**
 * What an STE does with a stream: its Config field ({@code STE.Config[3:1]}).
 *
 * <p>Config bit 2 set means traffic may pass; then bit 0 enables stage 1 and bit 1 enables stage 2.
 * The encodings 0b001 to 0b011 are reserved: the Arm architecture says they behave as 0b000 (abort,
 * no event) and QEMU's model does the same, so {@link #RESERVED} reports {@link #passesTraffic()}
 * false and a hardware model may treat it exactly as {@link #ABORT}.
 */
public enum StreamConfig {
  /** 0b000: every transaction is aborted, no event is recorded. */
  ABORT(0b000, "abort"),
  /** 0b100: both stages bypass. */
  BYPASS(0b100, "bypass"),
  /** 0b101: stage 1 translates, stage 2 bypasses. */
  S1_TRANSLATE(0b101, "s1-translate"),
  /** 0b110: stage 1 bypasses, stage 2 translates. */
  S2_TRANSLATE(0b110, "s2-translate"),
  /** 0b111: both stages translate (nested). */
  NESTED(0b111, "nested"),
  /** 0b001, 0b010 or 0b011: reserved, behaves as {@link #ABORT}. */
  RESERVED(-1, "reserved");

  /** Names of the architected encodings; reserved ones print as {@code reserved(n)}. */
  public static final ValueNames NAMES =
      ValueNames.of(
          ABORT.encoding,
          ABORT.label,
          BYPASS.encoding,
          BYPASS.label,
          S1_TRANSLATE.encoding,
          S1_TRANSLATE.label,
          S2_TRANSLATE.encoding,
          S2_TRANSLATE.label,
          NESTED.encoding,
          NESTED.label);

  private final int encoding;
  private final String label;

  StreamConfig(int encoding, String label) {
    this.encoding = encoding;
    this.label = label;
  }

  /**
   * The Config value of {@code encoding}; only the low three bits count, as in the 3-bit field.
   *
   * @param encoding the field value (any number; bits above bit 2 are ignored)
   */
  public static StreamConfig of(long encoding) {
    switch ((int) (encoding & 0b111)) {
      case 0b000:
        return ABORT;
      case 0b100:
        return BYPASS;
      case 0b101:
        return S1_TRANSLATE;
      case 0b110:
        return S2_TRANSLATE;
      case 0b111:
        return NESTED;
      default:
        return RESERVED;
    }
  }

  /** The 3-bit encoding, or -1 for {@link #RESERVED}, which stands for three encodings. */
  public int encoding() {
    return encoding;
  }

  /** Whether transactions may pass (Config bit 2 set). */
  public boolean passesTraffic() {
    return encoding >= 0b100;
  }

  /** Whether stage 1 translates (S1_TRANSLATE or NESTED). */
  public boolean s1Translates() {
    return this == S1_TRANSLATE || this == NESTED;
  }

  /** Whether stage 2 translates (S2_TRANSLATE or NESTED). */
  public boolean s2Translates() {
    return this == S2_TRANSLATE || this == NESTED;
  }

  /** The name as {@link #NAMES} prints it, e.g. {@code "s1-translate"}. */
  @Override
  public String toString() {
    return label;
  }
}
