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
import org.smmulab.arch.cd.Cd;
import org.smmulab.arch.cd.CdFields;
import org.smmulab.arch.cmd.Command;
import org.smmulab.arch.cmd.CommandFields;
import org.smmulab.arch.cmd.Opcode;
import org.smmulab.arch.codec.Field;
import org.smmulab.arch.codec.Layout;
import org.smmulab.arch.ste.Ste;
import org.smmulab.arch.ste.SteFields;
import org.smmulab.arch.ste.StreamConfig;
import org.smmulab.hw.memory.PhysicalMemory;
import org.smmulab.hw.pcie.DmaRequest;
import org.smmulab.hw.pcie.DmaResult;
import org.smmulab.hw.pcie.Endpoint;
import org.smmulab.hw.smmu.Smmu;
import org.smmulab.hw.smmu.SmmuPresets;

/**
 * Structure-aware fuzzing of the whole model: valid STEs, CDs, descriptors and commands are mutated
 * one to three fields (or bits) at a time and fed in through memory and the command queue. Nothing
 * may throw; every terminated DMA must carry an architected event or none; every stopped queue must
 * show an architected CERROR. The test counts what it produced and checks that the mutations reach
 * the interesting outcomes (every configuration event, translation faults, command errors), so the
 * coverage is not just "V = 0".
 *
 * <p>One run feeds {@value #ENTRIES} entries and {@value #COMMANDS} commands with a fixed seed.
 */
class ModelFuzzTest {
  static final int ENTRIES = 1_000_000;
  static final int COMMANDS = 1_000_000;
  private static final int SIDS = 16;
  private static final long CD_TABLE = 0x180_0000L;
  private static final long L0 = 0x200_0000L;
  private static final long L1 = 0x200_1000L;
  private static final long L2 = 0x200_2000L;
  private static final long L3 = 0x200_3000L;

  private final PhysicalMemory memory = new PhysicalMemory(40);
  private final SplittableRandom random = new SplittableRandom(0xF022L);

  @Test
  void mutatedEntriesNeverCrashTheModelAndReachEveryConfigurationEvent() throws Exception {
    Map<String, Long> outcomes = new TreeMap<>();
    try (Smmu smmu = new Smmu("fuzz", Configs.async(SmmuPresets.mmu700Like(), false), memory)) {
      SoftwareSide sw = new SoftwareSide(smmu, memory, 8, 4).enable(8);
      buildTables();
      Endpoint dev = Endpoint.withoutAts("dev", memory, smmu, 0);
      for (int i = 0; i < ENTRIES; i++) {
        int sid = random.nextInt(SIDS);
        long steAddress = SoftwareSide.STRTAB + sid * 64L;
        sw.write(steAddress, mutate(validSte(), SteFields.LAYOUT));
        long cdAddress = CD_TABLE + (sid & 3) * 64L;
        sw.write(cdAddress, mutate(validCd(), CdFields.LAYOUT));
        if (random.nextInt(8) == 0) {
          long pte = L3 + random.nextInt(4) * 8L;
          memory.write64(pte, memory.read64(pte) ^ 1L << random.nextInt(64));
        }
        smmu.configCache().invalidateAll();
        smmu.caches().invalidate(Command.tlbiNsnhAll());
        DmaRequest request = request(sid);
        DmaResult result = dev.dma(request);
        String key =
            result.completed()
                ? "completed"
                : result.event() == null ? "terminated silently" : result.event().type().name();
        outcomes.merge(key, 1L, Long::sum);
        if ((i & 0xFF) == 0) {
          sw.drainEvents();
        }
      }
    }
    System.out.println("model fuzz, " + ENTRIES + " mutated STE/CD/PTE sets: " + outcomes);
    assertThat(outcomes.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(ENTRIES);
    assertThat(outcomes)
        .containsKeys(
            "completed",
            "terminated silently",
            "C_BAD_STE",
            "C_BAD_CD",
            "C_BAD_SUBSTREAMID",
            "F_STREAM_DISABLED",
            "F_TRANSLATION",
            "F_PERMISSION",
            "F_ADDR_SIZE",
            "F_ACCESS");
  }

  @Test
  void mutatedCommandsNeverCrashTheModelAndStopTheQueueArchitecturally() throws Exception {
    Map<String, Long> errors = new TreeMap<>();
    long consumed;
    try (Smmu smmu = new Smmu("fuzz", Configs.async(SmmuPresets.mmu700Like(), false), memory)) {
      SoftwareSide sw = new SoftwareSide(smmu, memory, 10, 4).enable(8);
      Endpoint ep = Endpoint.withAts("ep", memory, smmu, 8, 1, 3);
      smmu.connect(ep);
      Opcode[] opcodes = Opcode.values();
      int posted = 0;
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
      }
      consumed = smmu.statistics().commands();
      assertThat(smmu.statistics().commandErrors())
          .allSatisfy((k, v) -> assertThat(errors).containsKey(k));
    }
    System.out.println(
        "model fuzz, "
            + COMMANDS
            + " mutated commands: consumed "
            + consumed
            + ", stops "
            + errors);
    assertThat(errors).containsKeys("ILL", "ATC_INV_SYNC");
    assertThat(consumed).isGreaterThan(COMMANDS / 4);
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
        sw.write(slot, Command.cmdSync(Command.CS_SEV, 0, 0, 0, 0).toQwords());
      }
      sw.regs.write32(GERRORN, sw.regs.read32(GERROR));
    }
  }

  private DmaRequest request(int sid) {
    long iova = (random.nextInt(4) * 0x1000L) | random.nextInt(0x1000) & ~7;
    if (random.nextInt(16) == 0) {
      iova ^= 1L << (39 + random.nextInt(25));
    }
    DmaRequest r =
        random.nextBoolean()
            ? DmaRequest.read(sid, iova, 8)
            : DmaRequest.write(sid, iova, new byte[8]);
    if (random.nextInt(3) == 0) {
      r = r.withSubstream(random.nextInt(8));
    }
    if (random.nextInt(4) == 0) {
      r = r.asPrivileged();
    }
    return r;
  }

  private long[] mutate(long[] qwords, Layout layout) {
    int mutations = 1 + random.nextInt(3);
    List<Field> fields = layout.fields();
    for (int m = 0; m < mutations; m++) {
      if (random.nextInt(4) == 0) {
        qwords[random.nextInt(qwords.length)] ^= 1L << random.nextInt(64);
      } else {
        Field f = fields.get(random.nextInt(fields.size()));
        f.set(qwords, random.nextLong());
      }
    }
    return qwords;
  }

  private long[] validSte() {
    int kind = random.nextInt(4);
    var b =
        Ste.builder()
            .set(SteFields.V, 1)
            .set(SteFields.S1_CONTEXT_PTR, CD_TABLE)
            .set(SteFields.S1_CD_MAX, kind == 3 ? 2 : 0)
            .set(SteFields.S1_DSS, random.nextInt(3));
    if (kind == 0) {
      b.set(SteFields.CONFIG, StreamConfig.S1_TRANSLATE.encoding());
    } else {
      b.set(SteFields.CONFIG, kind == 1 ? 6 : kind == 2 ? 7 : 5)
          .set(SteFields.S2_VMID, 1)
          .set(SteFields.S2_T0SZ, 16)
          .set(SteFields.S2_SL0, 2)
          .set(SteFields.S2_PS, 5)
          .set(SteFields.S2_AA64, 1)
          .set(SteFields.S2_AFFD, 1)
          .set(SteFields.S2_R, 1)
          .set(SteFields.S2_TTB, L0);
    }
    return b.build().toQwords();
  }

  private long[] validCd() {
    return Cd.builder()
        .set(CdFields.V, 1)
        .set(CdFields.AA64, 1)
        .set(CdFields.A, 1)
        .set(CdFields.R, 1)
        .set(CdFields.T0SZ, 16)
        .set(CdFields.EPD1, 1)
        .set(CdFields.IPS, 5)
        .set(CdFields.ASID, 1 + random.nextInt(4))
        .set(CdFields.TTB0, L0)
        .build()
        .toQwords();
  }

  /**
   * One 4-level table shared by both stages: IOVA/IPA pages 0..3 map to 0x300_0000.., and the table
   * pages map themselves (so nested walks can translate table addresses through stage 2).
   */
  private void buildTables() throws Exception {
    long rwAll = 0b11 | 1L << 10 | 1L << 6 | 0xFL << 2 | 1L << 7;
    memory.write64(L0, L1 | 0b11);
    memory.write64(L1, L2 | 0b11);
    memory.write64(L2, L3 | 0b11);
    for (int i = 0; i < 4; i++) {
      memory.write64(L3 + i * 8L, (0x300_0000L + i * 0x1000L) | rwAll);
    }
    memory.write64(L2 + 16 * 8, L3 | 0b11);
    long l3ForTables = L3;
    for (long table : new long[] {L0, L1, L2, L3, CD_TABLE}) {
      long index = (table >>> 12) & 511;
      memory.write64(l3ForTables + index * 8, table | rwAll);
    }
  }
}
