package org.smmulab.hw.smmu.e2e;

import org.smmulab.arch.bus.BusAbort;
import org.smmulab.arch.bus.Memory;
import org.smmulab.arch.event.EventType;
import org.smmulab.hw.pcie.DmaRequest;

/**
 * The test's own reading of the architecture's recording rules, independent of the model's code:
 * given the entries in memory, may a transaction of {@code request} be terminated without an event?
 * It follows the stream table, the STE and the CD table with raw bit positions (SMMUv3 STE, CD,
 * L1STD and L1CD layouts) and knows only the architected ways to terminate silently:
 *
 * <ul>
 *   <li>an STE with Config = abort (0b0xx);
 *   <li>a stage-1 translation, address-size, access or permission fault with CD.R = 0;
 *   <li>a stage-2 fault with STE.S2R = 0 (CD fetches and table walks of nested streams included).
 * </ul>
 *
 * Everything else that terminates a transaction (configuration errors with CR2.RECINVSID set, fetch
 * aborts, faults with the record bit set) must produce an event. The rules do not decide which
 * fault a translation meets, so they allow silence whenever a silent fault is possible for the
 * entries in use; where the first error is certain (the stream table or an STE with V = 0) they
 * also name the event.
 *
 * <p>A nested stream fetches its CDs through stage 2; the rules follow that only over the fuzz
 * world's identity-mapped region and only while the stage-2 tables and the STE's stage-2 fields are
 * the valid ones; otherwise the verdict is {@link Verdict#UNDETERMINED}.
 */
final class RecordingRules {
  private static final long ADDRESS_51_6 = 0x000F_FFFF_FFFF_FFC0L;
  private static final long ADDRESS_51_12 = 0x000F_FFFF_FFFF_F000L;

  /** What the rules say about a terminated transaction. */
  enum Verdict {
    /** An event must be recorded. */
    MUST_RECORD,
    /** The STE aborts the stream: no event. */
    SILENT_ABORT_STE,
    /** A stage-1 fault may be silent (CD.R = 0). */
    SILENT_CD_R,
    /** A stage-2 fault may be silent (STE.S2R = 0). */
    SILENT_S2R,
    /** The rules cannot follow this nested stream's CD fetch. */
    UNDETERMINED
  }

  /**
   * The verdict, and the configuration event the transaction certainly meets first ({@code null}
   * when that is not certain).
   */
  record Expectation(Verdict verdict, EventType certainEvent) {
    boolean silenceAllowed() {
      return verdict != Verdict.MUST_RECORD;
    }
  }

  private final Memory memory;
  private final int memoryBits;

  RecordingRules(Memory memory) {
    this.memory = memory;
    this.memoryBits = memory.addressBits();
  }

  /**
   * @param twoLevel whether the two-level stream table is in use
   * @param stage2Intact whether the stage-2 tables and the STE's stage-2 words are the valid ones
   */
  Expectation of(DmaRequest request, boolean twoLevel, boolean stage2Intact, long[] validSte)
      throws BusAbort {
    int sid = request.streamId();
    long steAddress;
    if (twoLevel) {
      long l1 = memory.read64(FuzzWorld.STRTAB_L1 + 8L * (sid >>> FuzzWorld.SPLIT));
      int span = (int) (l1 & 0x1F);
      long l2Index = sid & ((1 << FuzzWorld.SPLIT) - 1);
      if (span == 0 || span > 12 || span > FuzzWorld.SPLIT + 1 || l2Index >>> (span - 1) != 0) {
        return certain(EventType.C_BAD_STREAMID);
      }
      steAddress = (l1 & ADDRESS_51_6) + l2Index * 64;
    } else {
      steAddress = SoftwareSide.STRTAB + sid * 64L;
    }
    if (!inMemory(steAddress)) {
      return certain(EventType.F_STE_FETCH);
    }
    long[] ste = read(steAddress);
    if ((ste[0] & 1) == 0) {
      return certain(EventType.C_BAD_STE);
    }
    int config = (int) (ste[0] >>> 1) & 7;
    if ((config & 0b100) == 0) {
      return new Expectation(Verdict.SILENT_ABORT_STE, null);
    }
    boolean s1 = (config & 1) != 0;
    boolean s2 = (config & 2) != 0;
    Expectation afterStage1 =
        s2 && (ste[2] >>> 58 & 1) == 0
            ? new Expectation(Verdict.SILENT_S2R, null)
            : new Expectation(Verdict.MUST_RECORD, null);
    if (!s1) {
      return request.substreamValid() ? mustRecord() : afterStage1;
    }
    int cdMax = (int) (ste[0] >>> 59);
    int fmt = (int) (ste[0] >>> 4) & 3;
    int s1Dss = (int) ste[1] & 3;
    int index;
    if (request.substreamValid()) {
      int ssid = request.substreamId();
      if (cdMax == 0 || ssid >>> cdMax != 0 || (ssid == 0 && s1Dss == 2)) {
        return mustRecord();
      }
      index = ssid;
    } else if (cdMax == 0 || s1Dss == 2) {
      index = 0;
    } else if (s1Dss == 1) {
      return afterStage1;
    } else {
      return mustRecord();
    }
    boolean nested = s2;
    if (nested && (!stage2Intact || ste[2] != validSte[2] || ste[3] != validSte[3])) {
      return afterStage1.silenceAllowed() ? afterStage1 : undetermined();
    }
    long table = ste[0] & ADDRESS_51_6;
    long cdAddress;
    if (cdMax == 0 || fmt == 0 || fmt == 3) {
      cdAddress = table + index * 64L;
    } else {
      int leafBits = fmt == 1 ? 6 : 10;
      Long l1Address = physical(table + (long) (index >>> leafBits) * 8, nested);
      if (l1Address == null) {
        return afterStage1;
      }
      if (!inMemory(l1Address) || (memory.read64(l1Address) & 1) == 0) {
        return mustRecord();
      }
      long leaf = memory.read64(l1Address) & ADDRESS_51_12 & (fmt == 2 ? ~0xFFFFL : ~0xFFFL);
      cdAddress = leaf + (long) (index & ((1 << leafBits) - 1)) * 64;
    }
    Long cdPhysical = physical(cdAddress, nested);
    if (cdPhysical == null) {
      return afterStage1;
    }
    if (!inMemory(cdPhysical)) {
      return mustRecord();
    }
    long cd0 = memory.read64(cdPhysical);
    if ((cd0 >>> 31 & 1) == 0) {
      return mustRecord();
    }
    return (cd0 >>> 45 & 1) == 0 ? new Expectation(Verdict.SILENT_CD_R, null) : afterStage1;
  }

  /**
   * The PA of a CD-table address: itself without stage 2; in a nested stream (valid stage-2 tables)
   * the identity over the fuzz region and the data pages for IPA pages 0..3, else a stage-2
   * translation fault ({@code null}), which STE.S2R = 1 records.
   */
  private static Long physical(long address, boolean nested) {
    if (!nested) {
      return address;
    }
    if (address >= FuzzWorld.REGION && address < FuzzWorld.REGION + FuzzWorld.REGION_BYTES) {
      return address;
    }
    if (address >= 0 && address < 4 * 0x1000L) {
      return FuzzWorld.DATA + address;
    }
    return null;
  }

  private boolean inMemory(long address) {
    return address >= 0 && (address + 63) >>> memoryBits == 0;
  }

  private long[] read(long address) throws BusAbort {
    long[] words = new long[8];
    for (int i = 0; i < 8; i++) {
      words[i] = memory.read64(address + 8L * i);
    }
    return words;
  }

  private static Expectation certain(EventType type) {
    return new Expectation(Verdict.MUST_RECORD, type);
  }

  private static Expectation mustRecord() {
    return new Expectation(Verdict.MUST_RECORD, null);
  }

  private static Expectation undetermined() {
    return new Expectation(Verdict.UNDETERMINED, null);
  }
}
