package org.smmulab.hw.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Several threads on the same words and frames. Each test is deterministic in what it asserts
 * (exact sums, exact final contents); the seeds fix what each thread does, the scheduler decides
 * only the interleaving.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PhysicalMemoryConcurrencyTest {
  private static final int THREADS = 4;

  private final ExecutorService pool = Executors.newFixedThreadPool(THREADS * 2);

  @AfterEach
  void stopPool() {
    pool.shutdownNow();
  }

  private interface Worker {
    void run(int thread) throws Exception;
  }

  /** Runs {@code count} workers released together, and rethrows the first failure. */
  private void runTogether(int count, Worker worker) throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < count; t++) {
      int thread = t;
      futures.add(
          pool.submit(
              () -> {
                start.await();
                worker.run(thread);
                return null;
              }));
    }
    start.countDown();
    for (Future<?> future : futures) {
      future.get(20, TimeUnit.SECONDS);
    }
  }

  @Test
  void compareAndSetIncrementsAreNeverLost() throws Exception {
    PhysicalMemory memory = new PhysicalMemory(48);
    long[] words = {0x10_0000, 0x10_0008, 0x10_0ff8, 0x7_0000_0000L};
    int incrementsPerThread = 20_000;

    runTogether(
        THREADS,
        thread -> {
          SplittableRandom random = new SplittableRandom(1000 + thread);
          for (int i = 0; i < incrementsPerThread; i++) {
            long pa = words[random.nextInt(words.length)];
            long seen;
            do {
              seen = memory.read64(pa);
            } while (!memory.compareAndSet64(pa, seen, seen + 1));
          }
        });

    long sum = 0;
    for (long pa : words) {
      sum += memory.read64(pa);
    }
    assertThat(sum).isEqualTo((long) THREADS * incrementsPerThread);
  }

  @Test
  void readersNeverSeeATorn64BitWord() throws Exception {
    PhysicalMemory memory = new PhysicalMemory(40);
    long[] words = {0x2000, 0x2008, 0x2ff8};
    for (long pa : words) {
      memory.write64(pa, 0);
    }
    int writers = 2;
    AtomicBoolean writing = new AtomicBoolean(true);
    CountDownLatch writersDone = new CountDownLatch(writers);

    runTogether(
        THREADS,
        thread -> {
          if (thread < writers) {
            SplittableRandom random = new SplittableRandom(2000 + thread);
            try {
              for (int i = 0; i < 200_000; i++) {
                long half = random.nextInt() & 0xffff_ffffL;
                memory.write64(words[i % words.length], half << 32 | half);
              }
            } finally {
              writersDone.countDown();
              if (writersDone.getCount() == 0) {
                writing.set(false);
              }
            }
          } else {
            long reads = 0;
            while (writing.get() || reads < 1000) {
              long pa = words[(int) (reads++ % words.length)];
              long value = memory.read64(pa);
              assertThat(value >>> 32)
                  .as("halves of 0x%x at 0x%x", value, pa)
                  .isEqualTo(value & 0xffff_ffffL);
            }
          }
        });
  }

  @Test
  void concurrentFirstTouchOfTheSameFramesLosesNoWrite() throws Exception {
    int threads = 8;
    int frames = 256;
    PhysicalMemory memory = new PhysicalMemory(48);

    // Frames in 16 middle directories and 256 leaf directories: every level is raced for.
    runTogether(
        threads,
        thread -> {
          for (int f = 0; f < frames; f++) {
            memory.write64(frameAddress(f) + thread * 8L, valueFor(f, thread));
          }
        });

    PhysicalMemory serial = new PhysicalMemory(48);
    for (int f = 0; f < frames; f++) {
      for (int thread = 0; thread < threads; thread++) {
        assertThat(memory.read64(frameAddress(f) + thread * 8L))
            .as("frame %d, thread %d", f, thread)
            .isEqualTo(valueFor(f, thread));
        serial.write64(frameAddress(f) + thread * 8L, valueFor(f, thread));
      }
    }
    assertThat(memory.touchedFrames()).isEqualTo(frames);
    // Losers of an installation race drop their arrays and are not counted.
    assertThat(memory.footprintBytes()).isEqualTo(serial.footprintBytes());
  }

  @Test
  void byteAndHalfWordWritersSharingWordsDoNotOverwriteEachOther() throws Exception {
    PhysicalMemory memory = new PhysicalMemory(32);
    long base = 0x4000;
    int words = 16;
    int rounds = 2_000;

    // Threads 0..3 each own one of the low four bytes of every word; thread 4 owns the upper
    // 32-bit half of the even words, thread 5 that of the odd words; threads 6 and 7 only read.
    runTogether(
        THREADS * 2,
        thread -> {
          for (int r = 1; r <= rounds; r++) {
            for (int w = 0; w < words; w++) {
              long pa = base + w * 8L;
              if (thread < 4) {
                memory.write8(pa + thread, (byte) (r + thread));
              } else if (thread < 6) {
                if (w % 2 == thread - 4) {
                  memory.write32(pa + 4, r * 0x1_0001 + w);
                }
              } else {
                memory.read64(pa);
              }
            }
          }
        });

    for (int w = 0; w < words; w++) {
      long pa = base + w * 8L;
      for (int t = 0; t < 4; t++) {
        assertThat(memory.read8(pa + t))
            .as("byte %d of word %d", t, w)
            .isEqualTo((byte) (rounds + t));
      }
      assertThat(memory.read32(pa + 4))
          .as("upper half of word %d", w)
          .isEqualTo(rounds * 0x1_0001 + w);
    }
  }

  @Test
  void aReaderPollingAnUnbackedWordSeesItOnceAnotherThreadWritesIt() throws Exception {
    PhysicalMemory memory = new PhysicalMemory(44);
    long flag = 0x0abc_dead_0ff8L;
    long data = 0x0abc_dead_0000L;

    runTogether(
        2,
        thread -> {
          if (thread == 0) {
            Thread.sleep(20);
            memory.write64(data, 0x1234_5678L);
            memory.write64(flag, 1);
          } else {
            while (memory.read64(flag) == 0) {
              Thread.onSpinWait();
            }
            // read64 acquires what write64 released: the data written before the flag is seen.
            assertThat(memory.read64(data)).isEqualTo(0x1234_5678L);
          }
        });
  }

  private static long frameAddress(int f) {
    return (f % 16) * (64L << 30) + (f / 16) * ((2L << 20) + 4096);
  }

  private static long valueFor(int frame, int thread) {
    return (long) frame << 32 | (thread + 1);
  }
}
