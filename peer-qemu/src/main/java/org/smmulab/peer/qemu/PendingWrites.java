package org.smmulab.peer.qemu;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Consecutive 64-bit RAM writes waiting to be sent to the guest as few command lines: stretches of
 * zero words become one {@code fill}, other stretches a {@code wb} block write (or a single {@code
 * w8}). The UART moves a few tens of kilobytes per second, so zeroing a 64 KiB queue word by word
 * would take seconds; as one {@code fill} it is one line.
 *
 * <p>Only a run of ascending, adjacent words is kept; a write elsewhere ends the run. Not
 * thread-safe: {@link StubLink} owns it under its lock.
 */
final class PendingWrites {
  /** Words per {@code wb} line: the stub's block limit of 1024 bytes. */
  static final int BLOCK_WORDS = 128;

  /** Longest run kept before it is sent. */
  static final int MAX_WORDS = 1 << 16;

  /** Zero words in a row worth a {@code fill} of their own. */
  private static final int ZERO_RUN = 4;

  private long start;
  private long[] words = new long[64];
  private int count;

  /** Whether a write of {@code pa} would extend the run. */
  boolean extendsRun(long pa) {
    return count > 0 && count < MAX_WORDS && pa == start + 8L * count;
  }

  /** Whether nothing is pending. */
  boolean isEmpty() {
    return count == 0;
  }

  /** Starts a new run at {@code pa} (the run must be empty) or extends the current one. */
  void add(long pa, long value) {
    if (count == 0) {
      start = pa;
    } else if (!extendsRun(pa)) {
      throw new IllegalStateException(
          String.format("PA 0x%x does not extend the pending run at 0x%x", pa, start));
    }
    if (count == words.length) {
      words = Arrays.copyOf(words, count * 2);
    }
    words[count++] = value;
  }

  /** The command lines that perform the pending writes, in address order; empties the run. */
  List<String> drain() {
    List<String> lines = new ArrayList<>();
    int i = 0;
    while (i < count) {
      int zeros = zerosFrom(i);
      if (zeros >= ZERO_RUN) {
        lines.add(String.format("fill %x %x 0", start + 8L * i, 8L * zeros));
        i += zeros;
        continue;
      }
      int end = i;
      while (end < count && end - i < BLOCK_WORDS && zerosFrom(end) < ZERO_RUN) {
        end++;
      }
      if (end == i + 1) {
        lines.add(String.format("w8 %x %x", start + 8L * i, words[i]));
      } else {
        StringBuilder hex = new StringBuilder(16 * (end - i) + 24);
        hex.append(String.format("wb %x ", start + 8L * i));
        for (int w = i; w < end; w++) {
          long v = words[w];
          for (int b = 0; b < 8; b++) {
            int octet = (int) (v >>> (8 * b)) & 0xff;
            hex.append(Character.forDigit(octet >>> 4, 16))
                .append(Character.forDigit(octet & 15, 16));
          }
        }
        lines.add(hex.toString());
      }
      i = end;
    }
    count = 0;
    return lines;
  }

  private int zerosFrom(int i) {
    int n = 0;
    while (i + n < count && words[i + n] == 0) {
      n++;
    }
    return n;
  }
}
