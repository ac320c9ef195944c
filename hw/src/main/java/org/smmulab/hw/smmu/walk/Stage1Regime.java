package org.smmulab.hw.smmu.walk;

import org.smmulab.arch.cd.Cd;
import org.smmulab.arch.cd.CdFields;
import org.smmulab.arch.event.EventRecord;
import org.smmulab.arch.event.EventType;
import org.smmulab.arch.pte.Granule;
import org.smmulab.arch.pte.Stage;
import org.smmulab.hw.smmu.config.ResolvedStream;
import org.smmulab.hw.smmu.tlb.CacheTag;
import org.smmulab.hw.smmu.txn.TranslationFault;

/**
 * Chooses the stage-1 half of the address space for an input address and decodes its regime from
 * the CD.
 *
 * <p>TTB0 or TTB1: bit 55 of the address picks the candidate (0 TTB0, 1 TTB1); every bit from the
 * input size up to bit 63, or up to bit 55 when that half's TBI is set, must then equal bit 55.
 * This is the architecture's selection and gives the same answer as "upper bits all zero: TTB0, all
 * one: TTB1, else translation fault". The stage-1 start level is {@code 4 - (inputsize - 4) /
 * stride}; the root table address is aligned down to the root table's size.
 *
 * <p>Stage-1 faults here (all F_TRANSLATION except a TTB beyond the output size, F_ADDR_SIZE): the
 * address outside both halves, EPDx set for the chosen half, and CD values the configuration stage
 * should already have refused with C_BAD_CD (a reserved TGx, a TxSZ outside 16..39), which the
 * walker meets as translation faults rather than Java exceptions. A reserved IPS counts as the
 * instance's OAS; an IPS above the OAS is capped at it.
 */
final class Stage1Regime {
  private static final int MIN_TXSZ = 16;
  private static final int MAX_TXSZ = 39;

  private Stage1Regime() {}

  /** The regime that translates {@code address} for {@code stream}. */
  static Regime select(ResolvedStream stream, long address, int oasBits, FaultReporter faults)
      throws TranslationFault {
    Cd cd = stream.cd();
    boolean upperHalf = (address >>> 55 & 1) != 0;
    boolean epd = upperHalf ? cd.epd1() : cd.epd0();
    boolean tbi = upperHalf ? cd.tbi1() : cd.tbi0();
    int txsz = upperHalf ? cd.t1sz() : cd.t0sz();
    Granule granule = upperHalf ? cd.granule1() : cd.granule0();
    long ttb = upperHalf ? cd.ttb1() : cd.ttb0();
    boolean had = cd.get(upperHalf ? CdFields.HAD1 : CdFields.HAD0) != 0;
    String half = upperHalf ? "TTB1" : "TTB0";

    if (granule == null) {
      throw translation(faults, "reserved granule encoding for " + half);
    }
    if (txsz < MIN_TXSZ || txsz > MAX_TXSZ) {
      throw translation(faults, "TxSZ " + txsz + " for " + half + " outside 16..39");
    }
    int inputBits = 64 - txsz;
    int top = tbi ? 55 : 63;
    long upperMask = (top == 63 ? -1L : (1L << (top + 1)) - 1) & (-1L << inputBits);
    if ((address & upperMask) != (upperHalf ? upperMask : 0)) {
      throw translation(faults, "input address outside both TTB0 and TTB1 ranges");
    }
    if (epd) {
      throw translation(faults, "walks through " + half + " disabled (EPD)");
    }

    int startLevel = 4 - (inputBits - 4) / granule.stride();
    int rootIndexBits = inputBits - granule.levelShift(startLevel);
    long root = ttb & (-1L << Math.max(rootIndexBits + 3, 3));
    int ips = cd.outputBits();
    int outputBits = ips < 0 ? oasBits : Math.min(ips, oasBits);
    Regime regime =
        new Regime(
            Stage.STAGE_1,
            granule,
            startLevel,
            inputBits,
            outputBits,
            root,
            !cd.accessFlagFaultDisabled(),
            !had,
            new CacheTag(stream.world(), stream.kind(), stream.vmid(), stream.asid(), false),
            EventRecord.CLASS_IN,
            EventRecord.CLASS_TT);
    if (regime.exceedsOutput(root)) {
      throw faults.fault(
          Stage.STAGE_1, EventType.F_ADDR_SIZE, EventRecord.CLASS_IN, 0, half + " beyond IPS");
    }
    return regime;
  }

  private static TranslationFault translation(FaultReporter faults, String reason) {
    return faults.fault(Stage.STAGE_1, EventType.F_TRANSLATION, EventRecord.CLASS_IN, 0, reason);
  }
}
