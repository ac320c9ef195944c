package org.smmulab.hw.memory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.smmulab.arch.bus.BusAbort;
import org.smmulab.arch.bus.Memory;

/**
 * The simulated DRAM: one sparse, little-endian physical address space of {@code 2^addressBits}
 * bytes, shared by the SMMU model, the endpoints and the driver.
 *
 * <p>Every address in {@code [0, 2^addressBits)} exists. Storage is allocated in 4 KiB frames the
 * first time a non-zero value is written into a frame; a frame that was never written reads as
 * zero, and reading never allocates. Writing zeros into a frame that is not backed allocates
 * nothing either, since the frame already reads as zero. Frames are never freed.
 *
 * <p>All methods are thread-safe and lock-free; the {@link Memory} contracts hold for any number of
 * threads: aligned 64-bit and 32-bit accesses are single-copy atomic, {@link #read64} is an
 * acquire, {@link #write64} a release, {@link #compareAndSet64} has volatile semantics, and a byte
 * or bulk write never loses a concurrent write to a neighbouring byte of the same word.
 *
 * <h2>Implementation notes</h2>
 *
 * <p>The space is a radix tree over the frame number {@code pa >>> 12}: a root directory, middle
 * directories, leaf directories, and frames. Directories are {@code Object[]} slots (null until
 * first write below them), frames are {@code long[512]} whose element {@code i} holds bytes {@code
 * 8i..8i+7} of the frame, byte {@code 8i} in the least significant position. The root is allocated
 * with the memory and has one slot per 64 GiB of the space (64 Ki slots at 52 bits, a single slot
 * up to 36 bits); a middle directory has 32 Ki slots, one per leaf directory; a leaf directory has
 * 512 slots, one per frame, and so covers 2 MiB. The shape is fixed so that the index arithmetic is
 * made of constants; densely used memory pays about 0.5% for directories and array headers.
 *
 * <p>Memory ordering. A directory slot goes from null to its final value exactly once, through a
 * {@code compareAndExchange} (volatile write); the loser of a race adopts the winner's array and
 * drops its own, so every thread uses the same frame for an address and no write is lost to a
 * discarded copy. Slots are loaded with {@code getAcquire}: a thread that finds an array also sees
 * it initialised, and the load is repeated on every access, so a thread polling an unbacked word
 * notices when another thread backs it. Frame words are only ever accessed through the {@code
 * long[]} VarHandle: loads are {@code getAcquire}, whole-word stores are {@code setRelease},
 * sub-word stores (bytes, 32-bit halves, the ragged ends of bulk writes) are a {@code
 * weakCompareAndSetRelease} loop on the containing word so that they replace only their own bytes,
 * and {@link #compareAndSet64} is a volatile {@code compareAndSet}. A VarHandle access to a {@code
 * long} element is atomic, so every 64-bit access is single-copy atomic, and so is a 32-bit access,
 * being one word access. The acquire loads and release stores are what gives {@code read64} and
 * {@code write64} their contracted semantics; narrower and bulk reads use acquire as well, which
 * costs nothing on x86-64 and little on AArch64, and keeps one rule for every word. Besides slots
 * and words, the only mutable state is the two statistics counters, atomics read only for
 * reporting.
 */
public final class PhysicalMemory implements Memory {
  /** Bytes in one frame, the allocation unit. */
  public static final int FRAME_BYTES = 4096;

  /** The smallest supported address space: one frame. */
  public static final int MIN_ADDRESS_BITS = 12;

  /** The largest supported address space: the Arm architecture's 52-bit physical addresses. */
  public static final int MAX_ADDRESS_BITS = 52;

  private static final int FRAME_SHIFT = 12;
  private static final int WORDS_PER_FRAME = FRAME_BYTES / Long.BYTES;

  /** Frame-number bits resolved by a leaf directory: 512 frames, 2 MiB. */
  private static final int LEAF_BITS = 9;

  /** Frame-number bits resolved by a middle directory: 32 Ki leaf directories, 64 GiB. */
  private static final int MID_BITS = 15;

  private static final int LEAF_SLOTS = 1 << LEAF_BITS;
  private static final int MID_SLOTS = 1 << MID_BITS;
  private static final int LEAF_MASK = LEAF_SLOTS - 1;
  private static final int MID_MASK = MID_SLOTS - 1;
  private static final int ROOT_SHIFT = LEAF_BITS + MID_BITS;

  /** Estimated bytes of an array header on a 64-bit JVM with compressed references. */
  private static final long ARRAY_HEADER_BYTES = 16;

  /** Estimated bytes of one directory slot (a compressed reference). */
  private static final long REFERENCE_BYTES = 4;

  private static final long FRAME_FOOTPRINT_BYTES =
      ARRAY_HEADER_BYTES + (long) WORDS_PER_FRAME * Long.BYTES;

  private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Object[].class);
  private static final VarHandle WORDS = MethodHandles.arrayElementVarHandle(long[].class);

  private final int addressBits;
  private final long spaceBytes;
  private final String outsideReason;

  /** Bits of {@code pa} that must be clear for an aligned 64-bit access inside the space. */
  private final long abortMask64;

  /** Bits of {@code pa} that must be clear for an aligned 32-bit access inside the space. */
  private final long abortMask32;

  /** Bits of {@code pa} that must be clear for a byte access inside the space. */
  private final long abortMask8;

  private final Object[] root;

  private final AtomicLong frames = new AtomicLong();
  private final AtomicLong directoryBytes = new AtomicLong();

  /**
   * Creates an empty memory of {@code 2^addressBits} bytes. Only the root directory is allocated
   * now (at most 256 KiB, for 52 bits).
   *
   * @param addressBits size of the physical address space in bits, from {@value #MIN_ADDRESS_BITS}
   *     to {@value #MAX_ADDRESS_BITS}
   * @throws IllegalArgumentException if {@code addressBits} is outside that range
   */
  public PhysicalMemory(int addressBits) {
    if (addressBits < MIN_ADDRESS_BITS || addressBits > MAX_ADDRESS_BITS) {
      throw new IllegalArgumentException(
          "physical address size of "
              + addressBits
              + " bits is not supported: it must be between "
              + MIN_ADDRESS_BITS
              + " and "
              + MAX_ADDRESS_BITS);
    }
    this.addressBits = addressBits;
    this.spaceBytes = 1L << addressBits;
    this.outsideReason = "outside the " + addressBits + "-bit physical address space";
    this.abortMask8 = ~(spaceBytes - 1);
    this.abortMask32 = abortMask8 | (Integer.BYTES - 1);
    this.abortMask64 = abortMask8 | (Long.BYTES - 1);

    this.root = new Object[1 << Math.max(0, addressBits - FRAME_SHIFT - ROOT_SHIFT)];
    directoryBytes.set(directoryFootprint(root.length));
  }

  @Override
  public int addressBits() {
    return addressBits;
  }

  /** Number of 4 KiB frames allocated so far (each was written with a non-zero value). */
  public long touchedFrames() {
    return frames.get();
  }

  /** Bytes of allocated frames: {@link #touchedFrames()} times {@value #FRAME_BYTES}. */
  public long touchedBytes() {
    return touchedFrames() * FRAME_BYTES;
  }

  /**
   * Estimated heap bytes held by this memory: frames and directories, counting array headers and
   * assuming 4-byte compressed references (the default below 32 GiB of heap). The estimate moves
   * only when a frame or directory is allocated.
   */
  public long footprintBytes() {
    return frames.get() * FRAME_FOOTPRINT_BYTES + directoryBytes.get();
  }

  /**
   * Whether the frame holding {@code pa} has storage. A query for the model's tools, not a bus
   * access: an address outside the space is simply not backed.
   */
  public boolean isBacked(long pa) {
    return (pa & abortMask8) == 0 && frameOrNull(pa) != null;
  }

  @Override
  public long read64(long pa) throws BusAbort {
    if ((pa & abortMask64) != 0) {
      throw abort(pa, Long.BYTES);
    }
    long[] frame = frameOrNull(pa);
    return frame == null ? 0 : (long) WORDS.getAcquire(frame, wordIndex(pa));
  }

  @Override
  public void write64(long pa, long value) throws BusAbort {
    if ((pa & abortMask64) != 0) {
      throw abort(pa, Long.BYTES);
    }
    long[] frame = value == 0 ? frameOrNull(pa) : frameForWrite(pa);
    if (frame != null) {
      WORDS.setRelease(frame, wordIndex(pa), value);
    }
  }

  @Override
  public boolean compareAndSet64(long pa, long expected, long update) throws BusAbort {
    if ((pa & abortMask64) != 0) {
      throw abort(pa, Long.BYTES);
    }
    long[] frame = frameOrNull(pa);
    if (frame == null) {
      if (expected != 0) {
        return false;
      }
      if (update == 0) {
        return true;
      }
      frame = frameForWrite(pa);
    }
    return WORDS.compareAndSet(frame, wordIndex(pa), expected, update);
  }

  @Override
  public int read32(long pa) throws BusAbort {
    if ((pa & abortMask32) != 0) {
      throw abort(pa, Integer.BYTES);
    }
    long[] frame = frameOrNull(pa);
    if (frame == null) {
      return 0;
    }
    return (int) ((long) WORDS.getAcquire(frame, wordIndex(pa)) >>> bitShift(pa));
  }

  @Override
  public void write32(long pa, int value) throws BusAbort {
    if ((pa & abortMask32) != 0) {
      throw abort(pa, Integer.BYTES);
    }
    int shift = bitShift(pa);
    storeBits(pa, 0xffff_ffffL << shift, (value & 0xffff_ffffL) << shift);
  }

  @Override
  public byte read8(long pa) throws BusAbort {
    if ((pa & abortMask8) != 0) {
      throw abort(pa, 1);
    }
    long[] frame = frameOrNull(pa);
    if (frame == null) {
      return 0;
    }
    return (byte) ((long) WORDS.getAcquire(frame, wordIndex(pa)) >>> bitShift(pa));
  }

  @Override
  public void write8(long pa, byte value) throws BusAbort {
    if ((pa & abortMask8) != 0) {
      throw abort(pa, 1);
    }
    int shift = bitShift(pa);
    storeBits(pa, 0xffL << shift, (value & 0xffL) << shift);
  }

  /**
   * {@inheritDoc}
   *
   * <p>A zero-length read reads nothing and never aborts. An abort names {@code pa}, the first
   * address of the range.
   *
   * @throws IndexOutOfBoundsException if {@code offset} and {@code length} do not describe a range
   *     of {@code dst} (checked before any byte is read)
   */
  @Override
  public void read(long pa, byte[] dst, int offset, int length) throws BusAbort {
    Objects.checkFromIndexSize(offset, length, dst.length);
    checkRange(pa, length);
    long end = pa + length;
    int out = offset;
    while (pa < end) {
      int chunk = (int) Math.min(end - pa, FRAME_BYTES - (pa & (FRAME_BYTES - 1)));
      long[] frame = frameOrNull(pa);
      if (frame == null) {
        Arrays.fill(dst, out, out + chunk, (byte) 0);
      } else {
        readFromFrame(frame, pa, dst, out, chunk);
      }
      pa += chunk;
      out += chunk;
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>The whole range is checked before the first byte is written; an abort names {@code pa}, the
   * first address of the range. A zero-length write writes nothing and never aborts. Each aligned
   * word fully covered by the range is stored whole with release semantics; partly covered words at
   * the ends are updated like {@link #write8}.
   *
   * @throws IndexOutOfBoundsException if {@code offset} and {@code length} do not describe a range
   *     of {@code src} (checked before any byte is written)
   */
  @Override
  public void write(long pa, byte[] src, int offset, int length) throws BusAbort {
    Objects.checkFromIndexSize(offset, length, src.length);
    checkRange(pa, length);
    long end = pa + length;
    int in = offset;
    while (pa < end) {
      int chunk = (int) Math.min(end - pa, FRAME_BYTES - (pa & (FRAME_BYTES - 1)));
      long[] frame = allZero(src, in, chunk) ? frameOrNull(pa) : frameForWrite(pa);
      if (frame != null) {
        writeToFrame(frame, pa, src, in, chunk);
      }
      pa += chunk;
      in += chunk;
    }
  }

  @Override
  public String toString() {
    return String.format(
        "PhysicalMemory[%d-bit, %d frames touched, ~%d bytes]",
        addressBits, touchedFrames(), footprintBytes());
  }

  // ---- bulk helpers (one frame at a time) ----

  private static void readFromFrame(long[] frame, long pa, byte[] dst, int out, int length) {
    int i = 0;
    while (i < length) {
      long at = pa + i;
      int inWord = (int) (at & (Long.BYTES - 1));
      int n = Math.min(Long.BYTES - inWord, length - i);
      long word = (long) WORDS.getAcquire(frame, wordIndex(at)) >>> (inWord * Byte.SIZE);
      for (int b = 0; b < n; b++) {
        dst[out + i + b] = (byte) (word >>> (b * Byte.SIZE));
      }
      i += n;
    }
  }

  private static void writeToFrame(long[] frame, long pa, byte[] src, int in, int length) {
    int i = 0;
    while (i < length) {
      long at = pa + i;
      int inWord = (int) (at & (Long.BYTES - 1));
      int n = Math.min(Long.BYTES - inWord, length - i);
      long bits = 0;
      for (int b = n - 1; b >= 0; b--) {
        bits = (bits << Byte.SIZE) | (src[in + i + b] & 0xffL);
      }
      int shift = inWord * Byte.SIZE;
      if (n == Long.BYTES) {
        WORDS.setRelease(frame, wordIndex(at), bits);
      } else {
        long mask = ((1L << (n * Byte.SIZE)) - 1) << shift;
        mergeIntoWord(frame, wordIndex(at), mask, bits << shift);
      }
      i += n;
    }
  }

  private static boolean allZero(byte[] src, int from, int length) {
    for (int i = from; i < from + length; i++) {
      if (src[i] != 0) {
        return false;
      }
    }
    return true;
  }

  // ---- word helpers ----

  private static int wordIndex(long pa) {
    return (int) (pa >>> 3) & (WORDS_PER_FRAME - 1);
  }

  private static int bitShift(long pa) {
    return (int) (pa & (Long.BYTES - 1)) * Byte.SIZE;
  }

  /** Replaces the bits under {@code mask} of the word holding {@code pa} with {@code bits}. */
  private void storeBits(long pa, long mask, long bits) {
    long[] frame = bits == 0 ? frameOrNull(pa) : frameForWrite(pa);
    if (frame != null) {
      mergeIntoWord(frame, wordIndex(pa), mask, bits);
    }
  }

  private static void mergeIntoWord(long[] frame, int index, long mask, long bits) {
    long old;
    do {
      old = (long) WORDS.getAcquire(frame, index);
    } while (!WORDS.weakCompareAndSetRelease(frame, index, old, (old & ~mask) | bits));
  }

  // ---- the radix tree ----

  private long[] frameOrNull(long pa) {
    long frameNumber = pa >>> FRAME_SHIFT;
    Object[] mid = (Object[]) SLOTS.getAcquire(root, (int) (frameNumber >>> ROOT_SHIFT));
    if (mid == null) {
      return null;
    }
    Object[] leaf = (Object[]) SLOTS.getAcquire(mid, (int) (frameNumber >>> LEAF_BITS) & MID_MASK);
    if (leaf == null) {
      return null;
    }
    return (long[]) SLOTS.getAcquire(leaf, (int) frameNumber & LEAF_MASK);
  }

  private long[] frameForWrite(long pa) {
    long frameNumber = pa >>> FRAME_SHIFT;
    int rootIndex = (int) (frameNumber >>> ROOT_SHIFT);
    Object[] mid = (Object[]) SLOTS.getAcquire(root, rootIndex);
    if (mid == null) {
      mid = (Object[]) installDirectory(root, rootIndex, MID_SLOTS);
    }
    int midIndex = (int) (frameNumber >>> LEAF_BITS) & MID_MASK;
    Object[] leaf = (Object[]) SLOTS.getAcquire(mid, midIndex);
    if (leaf == null) {
      leaf = (Object[]) installDirectory(mid, midIndex, LEAF_SLOTS);
    }
    int leafIndex = (int) frameNumber & LEAF_MASK;
    long[] frame = (long[]) SLOTS.getAcquire(leaf, leafIndex);
    if (frame == null) {
      frame = installFrame(leaf, leafIndex);
    }
    return frame;
  }

  private Object installDirectory(Object[] parent, int index, int slots) {
    Object[] fresh = new Object[slots];
    Object witness = SLOTS.compareAndExchange(parent, index, null, fresh);
    if (witness != null) {
      return witness;
    }
    directoryBytes.addAndGet(directoryFootprint(slots));
    return fresh;
  }

  private long[] installFrame(Object[] leaf, int index) {
    long[] fresh = new long[WORDS_PER_FRAME];
    Object witness = SLOTS.compareAndExchange(leaf, index, null, fresh);
    if (witness != null) {
      return (long[]) witness;
    }
    frames.incrementAndGet();
    return fresh;
  }

  private static long directoryFootprint(int slots) {
    long bytes = ARRAY_HEADER_BYTES + slots * REFERENCE_BYTES;
    return (bytes + 7) & ~7L;
  }

  // ---- aborts (slow path) ----

  private void checkRange(long pa, int length) throws BusAbort {
    if (length == 0) {
      return;
    }
    if ((pa & abortMask8) != 0) {
      throw new BusAbort(pa, outsideReason);
    }
    if (length > spaceBytes - pa) {
      throw new BusAbort(
          pa,
          String.format(
              "%d-byte access runs past the end of the %d-bit physical address space at PA 0x%x",
              length, addressBits, spaceBytes));
    }
  }

  private BusAbort abort(long pa, int size) {
    if ((pa & abortMask8) != 0) {
      return new BusAbort(pa, outsideReason);
    }
    return new BusAbort(pa, "misaligned " + size * Byte.SIZE + "-bit access");
  }
}
