package org.smmulab.hw.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.smmulab.arch.bus.BusAbort;
import org.smmulab.arch.bus.Memory;

/**
 * Random sequences of every kind of access, run against {@link PhysicalMemory} and against a map of
 * bytes that spells the {@link Memory} contract out directly. Addresses cluster around the start of
 * the space, a frame boundary and the end of the space, with some negative and some past the end,
 * so that aborts, frame crossings and partial words all occur often.
 */
class PhysicalMemoryReferenceModelTest {
  private static final int ADDRESS_BITS = 20;
  private static final long END = 1L << ADDRESS_BITS;
  private static final long[] WINDOWS = {0, 0x1fc0, END - 0x60};
  private static final int WINDOW_BYTES = 0x60 + 48;

  enum Kind {
    READ8,
    WRITE8,
    READ32,
    WRITE32,
    READ64,
    WRITE64,
    CAS64,
    READ_BULK,
    WRITE_BULK
  }

  /** One access; {@code value} is the datum, the CAS expectation selector or the bulk data seed. */
  record Op(Kind kind, long pa, long value, int length) {}

  @Property(tries = 300, seed = "7340121")
  void behavesLikeAMapOfBytes(@ForAll("operations") List<Op> ops) throws BusAbort {
    PhysicalMemory memory = new PhysicalMemory(ADDRESS_BITS);
    ReferenceMemory reference = new ReferenceMemory();

    for (Op op : ops) {
      String actual = apply(memory, op, reference);
      String expected = reference.apply(op);
      assertThat(actual).as("%s", op).isEqualTo(expected);
    }

    for (long window : WINDOWS) {
      for (long pa = window; pa < Math.min(END, window + WINDOW_BYTES); pa++) {
        assertThat(memory.read8(pa)).as("byte at 0x%x", pa).isEqualTo(reference.byteAt(pa));
      }
    }
    assertThat(memory.touchedFrames()).isEqualTo(reference.framesEverWrittenNonZero());
  }

  @Provide
  Arbitrary<List<Op>> operations() {
    Arbitrary<Long> inWindow =
        Combinators.combine(
                Arbitraries.of(WINDOWS[0], WINDOWS[1], WINDOWS[2]),
                Arbitraries.oneOf(
                    Arbitraries.longs().between(0, 11).map(word -> word * 8),
                    Arbitraries.longs().between(0, 0x5f)))
            .as(Long::sum);
    Arbitrary<Long> address =
        Arbitraries.frequencyOf(
            Tuple.of(12, inWindow),
            Tuple.of(1, Arbitraries.longs().between(-16, -1)),
            Tuple.of(1, Arbitraries.longs().between(END, END + 16)));
    Arbitrary<Long> value =
        Arbitraries.oneOf(Arbitraries.longs(), Arbitraries.longs().between(0, 3));
    Arbitrary<Op> op =
        Combinators.combine(
                Arbitraries.of(Kind.class), address, value, Arbitraries.integers().between(0, 40))
            .as(Op::new);
    return op.list().ofMinSize(1).ofMaxSize(60);
  }

  private interface Access {
    String run() throws BusAbort;
  }

  private static String outcome(Access access) {
    try {
      return access.run();
    } catch (BusAbort abort) {
      return "abort at 0x" + Long.toHexString(abort.address());
    }
  }

  /** The datum of a bulk write: a pure function of the op. */
  static byte[] bulkData(Op op) {
    byte[] data = new byte[op.length()];
    SplittableRandom random = new SplittableRandom(op.value());
    for (int i = 0; i < data.length; i++) {
      // Every fourth byte zero, so all-zero chunks and zero bytes both occur.
      data[i] = random.nextInt(4) == 0 ? 0 : (byte) random.nextInt();
    }
    return data;
  }

  /**
   * For CAS: a small selector compares against the word's current value (from the reference) so
   * that both outcomes happen; otherwise the op's value itself is the expectation.
   */
  static long casExpectation(Op op, long current) {
    return op.value() == 1 ? current : op.value();
  }

  private static String apply(PhysicalMemory memory, Op op, ReferenceMemory reference) {
    long pa = op.pa();
    return outcome(
        () ->
            switch (op.kind()) {
              case READ8 -> "value 0x" + Long.toHexString(memory.read8(pa) & 0xffL);
              case WRITE8 -> {
                memory.write8(pa, (byte) op.value());
                yield "ok";
              }
              case READ32 -> "value 0x" + Long.toHexString(memory.read32(pa) & 0xffff_ffffL);
              case WRITE32 -> {
                memory.write32(pa, (int) op.value());
                yield "ok";
              }
              case READ64 -> "value 0x" + Long.toHexString(memory.read64(pa));
              case WRITE64 -> {
                memory.write64(pa, op.value());
                yield "ok";
              }
              case CAS64 -> {
                long expected = casExpectation(op, reference.peekWord(pa));
                yield "cas " + memory.compareAndSet64(pa, expected, ~op.value());
              }
              case READ_BULK -> {
                byte[] dst = new byte[op.length()];
                memory.read(pa, dst, 0, dst.length);
                yield "bytes " + Arrays.toString(dst);
              }
              case WRITE_BULK -> {
                byte[] src = bulkData(op);
                memory.write(pa, src, 0, src.length);
                yield "ok";
              }
            });
  }

  /** The contract, written as plainly as possible: a map from address to byte. */
  static final class ReferenceMemory {
    private final Map<Long, Byte> bytes = new HashMap<>();
    private final Set<Long> framesWrittenNonZero = new HashSet<>();

    byte byteAt(long pa) {
      return bytes.getOrDefault(pa, (byte) 0);
    }

    long framesEverWrittenNonZero() {
      return framesWrittenNonZero.size();
    }

    /** The little-endian word at {@code pa}, or 0 where the op would abort anyway. */
    long peekWord(long pa) {
      return exists(pa, 8) ? load(pa, 8) : 0;
    }

    String apply(Op op) {
      long pa = op.pa();
      int size =
          switch (op.kind()) {
            case READ8, WRITE8 -> 1;
            case READ32, WRITE32 -> 4;
            case READ64, WRITE64, CAS64 -> 8;
            case READ_BULK, WRITE_BULK -> op.length();
          };
      boolean bulk = op.kind() == Kind.READ_BULK || op.kind() == Kind.WRITE_BULK;
      if (size > 0 && !exists(pa, size)) {
        return "abort at 0x" + Long.toHexString(pa);
      }
      if (!bulk && pa % size != 0) {
        return "abort at 0x" + Long.toHexString(pa);
      }
      return switch (op.kind()) {
        case READ8, READ32, READ64 -> {
          long mask = size == 8 ? -1L : (1L << (size * 8)) - 1;
          yield "value 0x" + Long.toHexString(load(pa, size) & mask);
        }
        case WRITE8, WRITE32, WRITE64 -> {
          store(pa, size, op.value());
          yield "ok";
        }
        case CAS64 -> {
          long current = load(pa, 8);
          boolean replaced = casExpectation(op, current) == current;
          if (replaced) {
            store(pa, 8, ~op.value());
          }
          yield "cas " + replaced;
        }
        case READ_BULK -> {
          byte[] dst = new byte[size];
          for (int i = 0; i < size; i++) {
            dst[i] = byteAt(pa + i);
          }
          yield "bytes " + Arrays.toString(dst);
        }
        case WRITE_BULK -> {
          byte[] src = bulkData(op);
          for (int i = 0; i < size; i++) {
            storeByte(pa + i, src[i]);
          }
          yield "ok";
        }
      };
    }

    private static boolean exists(long pa, int size) {
      return pa >= 0 && pa + size <= END;
    }

    private long load(long pa, int size) {
      long value = 0;
      for (int i = size - 1; i >= 0; i--) {
        value = (value << 8) | (byteAt(pa + i) & 0xffL);
      }
      return value;
    }

    private void store(long pa, int size, long value) {
      for (int i = 0; i < size; i++) {
        storeByte(pa + i, (byte) (value >>> (8 * i)));
      }
    }

    private void storeByte(long pa, byte value) {
      bytes.put(pa, value);
      if (value != 0) {
        framesWrittenNonZero.add(pa >>> 12);
      }
    }
  }
}
