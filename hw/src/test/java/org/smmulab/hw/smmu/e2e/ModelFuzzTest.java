package org.smmulab.hw.smmu.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.smmulab.arch.regs.RegisterOffsets.CMDQ_CONS;
import static org.smmulab.arch.regs.RegisterOffsets.GERROR;
import static org.smmulab.arch.regs.RegisterOffsets.GERRORN;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.smmulab.arch.cd.CdFields;
import org.smmulab.arch.cd.L1CdDescriptor;
import org.smmulab.arch.cmd.Command;
import org.smmulab.arch.cmd.CommandFields;
import org.smmulab.arch.cmd.Opcode;
import org.smmulab.arch.codec.Field;
import org.smmulab.arch.codec.Layout;
import org.smmulab.arch.ste.L1StreamDescriptor;
import org.smmulab.arch.ste.SteFields;
import org.smmulab.hw.memory.PhysicalMemory;
import org.smmulab.hw.pcie.DmaRequest;
import org.smmulab.hw.pcie.DmaResult;
import org.smmulab.hw.pcie.Endpoint;
import org.smmulab.hw.smmu.Smmu;
import org.smmulab.hw.smmu.SmmuPresets;
import org.smmulab.hw.smmu.e2e.FuzzWorld.SteKind;
import org.smmulab.hw.smmu.e2e.RecordingRules.Expectation;
import org.smmulab.hw.smmu.e2e.RecordingRules.Verdict;

/**
 * Structure-aware fuzzing of the whole model ({@link FuzzWorld} describes the memory image). Each
 * round starts from valid entries, mutates one structure one to three fields (or bits) at a time —
 * an STE, the CD the transaction will use, the level-1 stream descriptor (two-level stream table),
 * the level-1 CD descriptor (two-level CD tables) or a page-table word of either stage — issues one
 * DMA, and restores the structure. DMA writes may land in the tables when a mutated descriptor
 * points there; every slice starts from freshly written tables.
 *
 * <p>Checks: nothing throws; a terminated DMA without an event must be one the architecture allows
 * to be silent, as {@link RecordingRules} (the test's own reading of the rules) decides from the
 * mutated entries in memory; where the first error is certain, the event must be that one; after
 * every slice of {@value #SLICE} rounds the untouched stream still translates to the right PA (the
 * model's caches and state were not corrupted). The stream table alternates between linear and
 * two-level from slice to slice. Commands likewise: mutated commands of every opcode, with Linux's
 * recovery after each stop, and the untouched stream checked after every slice.
 *
 * <p>One run feeds {@value #ENTRIES} entries and {@value #COMMANDS} commands with a fixed seed and
 * prints the outcome counts by event type and by command error.
 */
class ModelFuzzTest {
  static final int ENTRIES = 1_000_000;
  static final int COMMANDS = 1_000_000;
  static final int SLICE = 25_000;

  private final PhysicalMemory memory = new PhysicalMemory(40);
  private final SplittableRandom random = new SplittableRandom(0xF022L);
  private final FuzzWorld world = new FuzzWorld(memory);
  private final RecordingRules rules = new RecordingRules(memory);

  /** What one round mutates. */
  private enum Target {
    STE,
    CD,
    L1STD,
    L1CD,
    PTE
  }

  @Test
  void mutatedEntriesNeverCrashTheModelAndEveryMissingEventIsArchitected() throws Exception {
    Map<String, Long> outcomes = new TreeMap<>();
    Map<String, Long> targets = new TreeMap<>();
    try (Smmu smmu = new Smmu("fuzz", Configs.async(SmmuPresets.mmu700Like(), false), memory)) {
      SoftwareSide sw = new SoftwareSide(smmu, memory, 8, 4).enable(8);
      Endpoint dev = Endpoint.withoutAts("dev", memory, smmu, 0);
      for (int slice = 0; slice < ENTRIES / SLICE; slice++) {
        world.build();
        world.useStreamTable(sw, slice % 2 == 1);
        for (int i = 0; i < SLICE; i++) {
          String target = round(smmu, dev, outcomes);
          targets.merge(target, 1L, Long::sum);
          if ((i & 0xFF) == 0) {
            sw.drainEvents();
          }
        }
        world.checkKnownGood(dev, random, "after entry slice " + slice);
      }
    }
    System.out.println("model fuzz, " + ENTRIES + " mutated entries by target: " + targets);
    System.out.println("model fuzz, outcomes: " + outcomes);
    assertThat(outcomes.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(ENTRIES);
    assertThat(targets.keySet()).containsExactlyInAnyOrder("STE", "CD", "L1STD", "L1CD", "PTE");
    assertThat(outcomes)
        .containsKeys(
            "completed",
            "silent: " + Verdict.SILENT_ABORT_STE,
            "silent: " + Verdict.SILENT_CD_R,
            "silent: " + Verdict.SILENT_S2R,
            "C_BAD_STREAMID",
            "C_BAD_STE",
            "C_BAD_CD",
            "C_BAD_SUBSTREAMID",
            "F_STREAM_DISABLED",
            "F_STE_FETCH",
            "F_CD_FETCH",
            "F_TRANSLATION",
            "F_PERMISSION",
            "F_ADDR_SIZE",
            "F_ACCESS");
    long undetermined = outcomes.getOrDefault("silent: " + Verdict.UNDETERMINED, 0L);
    assertThat(undetermined)
        .as("silent terminations the rules could not judge")
        .isLessThan(ENTRIES / 100);
  }

  /** One round: valid entries, one mutation, one DMA judged, the structure restored. */
  private String round(Smmu smmu, Endpoint dev, Map<String, Long> outcomes) throws Exception {
    int sid = random.nextInt(FuzzWorld.FUZZ_SIDS);
    SteKind kind = SteKind.values()[random.nextInt(SteKind.values().length)];
    long[] validSte = FuzzWorld.ste(kind, random.nextInt(3));
    DmaRequest request = request(sid, kind);
    int cdIndex = request.substreamValid() ? request.substreamId() : 0;
    long steAddress = world.steAddress(sid);

    Target target = target(kind);
    long address;
    long[] valid;
    Layout layout;
    switch (target) {
      case STE -> {
        address = steAddress;
        valid = validSte;
        layout = SteFields.LAYOUT;
      }
      case CD -> {
        address = FuzzWorld.cdAddress(kind, cdIndex & ((1 << Math.max(kind.cdMax(), 0)) - 1));
        valid = FuzzWorld.cd(1 + random.nextInt(4), FuzzWorld.S1_L0);
        layout = CdFields.LAYOUT;
      }
      case L1STD -> {
        address = FuzzWorld.STRTAB_L1;
        valid = new long[] {FuzzWorld.fuzzL1Std()};
        layout = L1StreamDescriptor.LAYOUT;
      }
      case L1CD -> {
        address = FuzzWorld.l1CdAddress(kind, cdIndex & ((1 << kind.cdMax()) - 1));
        valid = new long[] {FuzzWorld.validL1Cd(address)};
        layout = L1CdDescriptor.LAYOUT;
      }
      default -> {
        address = FuzzWorld.PTES[random.nextInt(FuzzWorld.PTES.length)];
        valid = new long[] {FuzzWorld.validPte(address)};
        layout = null;
      }
    }
    write(steAddress, validSte);
    if (kind.usesCds() && target != Target.CD) {
      write(
          FuzzWorld.cdAddress(kind, cdIndex & ((1 << kind.cdMax()) - 1)),
          FuzzWorld.cd(1 + random.nextInt(4), FuzzWorld.S1_L0));
    }
    write(address, mutate(valid.clone(), layout));
    smmu.configCache().invalidateAll();
    smmu.caches().invalidate(Command.tlbiNsnhAll());

    Expectation expected =
        rules.of(
            request, world.twoLevel(), target != Target.PTE || address < FuzzWorld.S2_L0, validSte);
    DmaResult result = dev.dma(request);
    String outcome = judge(request, result, expected, target);
    outcomes.merge(outcome, 1L, Long::sum);
    write(address, valid);
    return target.name();
  }

  /** The outcome's name for the counts; fails when the model left out an event it owed. */
  private static String judge(
      DmaRequest request, DmaResult result, Expectation expected, Target target) {
    if (expected.certainEvent() != null) {
      assertThat(result.event())
          .as("%s after a mutated %s: %s", request, target, result)
          .isNotNull();
      assertThat(result.event().type())
          .as("%s after a mutated %s", request, target)
          .isEqualTo(expected.certainEvent());
    }
    if (result.completed()) {
      return "completed";
    }
    if (result.event() != null) {
      return result.event().type().name();
    }
    if (result.faultReason() != null && result.faultReason().startsWith("bus abort")) {
      return "bus abort at the output address";
    }
    assertThat(expected.silenceAllowed())
        .as(
            "%s was terminated without an event after a mutated %s (%s), but the entries in"
                + " memory require one",
            request, target, result.faultReason())
        .isTrue();
    return "silent: " + expected.verdict();
  }

  private Target target(SteKind kind) {
    while (true) {
      Target t = Target.values()[random.nextInt(Target.values().length)];
      if (t == Target.L1STD && !world.twoLevel()) {
        continue;
      }
      if (t == Target.L1CD && !kind.twoLevelCds()) {
        continue;
      }
      if (t == Target.CD && !kind.usesCds()) {
        continue;
      }
      return t;
    }
  }

  @Test
  void mutatedCommandsNeverCrashTheModelAndStopTheQueueArchitecturally() throws Exception {
    Map<String, Long> errors = new TreeMap<>();
    Map<String, Long> consumed;
    try (Smmu smmu = new Smmu("fuzz", Configs.async(SmmuPresets.mmu700Like(), false), memory)) {
      SoftwareSide sw = new SoftwareSide(smmu, memory, 10, 4).enable(8);
      world.build();
      Endpoint dev = Endpoint.withoutAts("dev", memory, smmu, FuzzWorld.GOOD_SID);
      Endpoint ep = Endpoint.withAts("ep", memory, smmu, 8, 1, 3);
      smmu.connect(ep);
      Opcode[] opcodes = Opcode.values();
      int posted = 0;
      int slice = 0;
      while (posted < COMMANDS) {
        ep.setFailInvalidations(random.nextInt(64) == 0);
        Command[] batch = new Command[32];
        for (int i = 0; i < batch.length; i++) {
          Command template = Command.builder(opcodes[random.nextInt(opcodes.length)]).build();
          long[] q = mutate(template.toQwords(), template.layout());
          Command command = Command.decode(q[0], q[1]);
          if (command.opcode() == Opcode.ATC_INV && random.nextBoolean()) {
            command = command.toBuilder().set(CommandFields.SID, 3).build();
          }
          batch[i] = command;
        }
        posted += batch.length;
        sw.post(batch);
        recover(sw, errors);
        if (posted / SLICE > slice) {
          slice = posted / SLICE;
          world.checkKnownGood(dev, random, "after " + posted + " commands");
        }
      }
      consumed = smmu.statistics().commandsByOpcode();
      assertThat(smmu.statistics().commandErrors())
          .allSatisfy((k, v) -> assertThat(errors).containsEntry(k, v));
    }
    long total = consumed.values().stream().mapToLong(Long::longValue).sum();
    System.out.println(
        "model fuzz, "
            + COMMANDS
            + " mutated commands: consumed "
            + total
            + " "
            + new TreeMap<>(consumed));
    System.out.println("model fuzz, command errors: " + errors);
    assertThat(errors).containsKeys("ILL", "ATC_INV_SYNC");
    assertThat(total).isGreaterThan(COMMANDS / 4);
  }

  /** Linux's recovery: replace an illegal entry by a CMD_SYNC, acknowledge, until consumed. */
  private void recover(SoftwareSide sw, Map<String, Long> errors) throws Exception {
    while (true) {
      int cons = sw.regs.read32(CMDQ_CONS);
      int err = cons >>> 24 & 0x7F;
      boolean active = ((sw.regs.read32(GERROR) ^ sw.regs.read32(GERRORN)) & 1) != 0;
      if (!active) {
        if (((cons ^ sw.prod()) & ((2 << sw.cmdqLog2) - 1)) == 0) {
          return;
        }
        Thread.onSpinWait();
        continue;
      }
      String name = List.of("NONE", "ILL", "ABT", "ATC_INV_SYNC").get(Math.min(err, 3));
      errors.merge(name, 1L, Long::sum);
      if (err == 1) {
        long slot = SoftwareSide.CMDQ + (long) (cons & ((1 << sw.cmdqLog2) - 1)) * 16;
        write(slot, Command.cmdSync(Command.CS_SEV, 0, 0, 0, 0).toQwords());
      }
      sw.regs.write32(GERRORN, sw.regs.read32(GERROR));
    }
  }

  private DmaRequest request(int sid, SteKind kind) {
    long iova = (random.nextInt(4) * 0x1000L) | random.nextInt(0x1000) & ~7;
    if (random.nextInt(16) == 0) {
      iova ^= 1L << (39 + random.nextInt(25));
    }
    DmaRequest r =
        random.nextBoolean()
            ? DmaRequest.read(sid, iova, 8)
            : DmaRequest.write(sid, iova, new byte[8]);
    int cds = 1 << kind.cdMax();
    if (random.nextInt(3) == 0) {
      r =
          r.withSubstream(
              random.nextInt(16) == 0 ? random.nextInt(1 << 20) : random.nextInt(cds + 1));
    }
    if (random.nextInt(4) == 0) {
      r = r.asPrivileged();
    }
    return r;
  }

  /** Sets one to three fields to random values, or flips single bits; no layout: bits only. */
  private long[] mutate(long[] qwords, Layout layout) {
    int mutations = 1 + random.nextInt(3);
    for (int m = 0; m < mutations; m++) {
      if (layout == null || random.nextInt(4) == 0) {
        qwords[random.nextInt(qwords.length)] ^= 1L << random.nextInt(64);
      } else {
        List<Field> fields = layout.fields();
        Field f = fields.get(random.nextInt(fields.size()));
        f.set(qwords, random.nextLong());
      }
    }
    return qwords;
  }

  private void write(long address, long[] qwords) throws Exception {
    for (int i = 0; i < qwords.length; i++) {
      memory.write64(address + 8L * i, qwords[i]);
    }
  }
}
