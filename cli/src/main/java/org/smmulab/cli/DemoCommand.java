package org.smmulab.cli;

import static org.smmulab.arch.ste.SteFields.CONFIG;
import static org.smmulab.arch.ste.SteFields.EATS;
import static org.smmulab.arch.ste.SteFields.S1_CD_MAX;
import static org.smmulab.arch.ste.SteFields.S1_CIR;
import static org.smmulab.arch.ste.SteFields.S1_CONTEXT_PTR;
import static org.smmulab.arch.ste.SteFields.S1_COR;
import static org.smmulab.arch.ste.SteFields.S1_CSH;
import static org.smmulab.arch.ste.SteFields.S1_DSS;
import static org.smmulab.arch.ste.SteFields.S1_FMT;
import static org.smmulab.arch.ste.SteFields.S1_STALLD;
import static org.smmulab.arch.ste.SteFields.SHCFG;
import static org.smmulab.arch.ste.SteFields.V;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.smmulab.arch.cd.Cd;
import org.smmulab.arch.cd.CdFields;
import org.smmulab.arch.cmd.Command;
import org.smmulab.arch.cmd.TlbiRange;
import org.smmulab.arch.codec.QwordImage;
import org.smmulab.arch.pte.Granule;
import org.smmulab.arch.pte.LpaeDescriptor;
import org.smmulab.arch.pte.Stage;
import org.smmulab.arch.ste.Ste;
import org.smmulab.arch.ste.SteFields;
import org.smmulab.arch.ste.StreamConfig;
import org.smmulab.driver.alloc.PageAllocator;
import org.smmulab.driver.alloc.RamRange;
import org.smmulab.driver.pgtable.IoPageTable;
import org.smmulab.driver.pgtable.PageTableConfig;
import org.smmulab.driver.pgtable.Prot;
import org.smmulab.driver.pgtable.UnmapResult;
import org.smmulab.hw.memory.PhysicalMemory;
import org.smmulab.verify.pgtable.PageTableCensus;
import picocli.CommandLine;

/**
 * {@code smmulab demo}: a guided tour of what SMMU Lab has built, each step checked against values
 * published by the Linux kernel's own tests, so the output is true by construction or the command
 * fails.
 */
@CommandLine.Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Show the architecture codecs, page tables and memory model at work, and check each",
      "result against the Linux KUnit and command-encoding vectors. Exit 1 if any check fails."
    })
final class DemoCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private static final long RAM_BASE = 0x4000_0000L;
  private static final long RAM_BYTES = 16L << 20;

  private final List<String> failures = new ArrayList<>();
  private int checks;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    out.println("SMMU Lab demo: the architecture as data, page tables and memory");
    out.println();
    streamTableEntries(out);
    contextDescriptor(out);
    commands(out);
    out.println();
    pageTables(out);
    out.println();
    if (failures.isEmpty()) {
      out.printf(
          "Self-check: all %d checks passed: encodings equal the Linux reference images and"
              + " decode back to themselves; page tables translate as mapped.%n",
          checks);
    } else {
      out.printf("Self-check FAILED: %d of %d checks:%n", failures.size(), checks);
      failures.forEach(f -> out.println("  " + f));
    }
    out.flush();
    return failures.isEmpty() ? 0 : 1;
  }

  private void streamTableEntries(PrintWriter out) {
    out.println("Stream table entries, built field by field as Linux builds them:");
    show(out, "abort", Ste.builder().set(V, 1).build(), 0x1L, 0, 0, 0);
    show(
        out,
        "bypass",
        Ste.builder()
            .set(V, 1)
            .set(CONFIG, StreamConfig.BYPASS.encoding())
            .set(SHCFG, SteFields.SHCFG_INCOMING)
            .build(),
        0x9L,
        0x0000100000000000L,
        0,
        0);
    // S1CDMax = 0xFF does not fit 5 bits: it is truncated to 31, as the kernel's FIELD_PREP does.
    show(
        out,
        "S1 CD table",
        Ste.builder()
            .set(V, 1)
            .set(CONFIG, StreamConfig.S1_TRANSLATE.encoding())
            .set(S1_FMT, SteFields.S1FMT_2LVL_64K)
            .set(S1_CONTEXT_PTR, 0xF0F0F0F0F0F0L)
            .set(S1_CD_MAX, 0xFF)
            .set(S1_DSS, SteFields.S1DSS_SSID0)
            .set(S1_CIR, 1)
            .set(S1_COR, 1)
            .set(S1_CSH, 3)
            .set(S1_STALLD, 1)
            .set(EATS, SteFields.EATS_FULL)
            .build(),
        0xf800f0f0f0f0f0ebL,
        0x00000000180000d6L,
        0,
        0);
    out.println();
  }

  private void contextDescriptor(PrintWriter out) {
    out.println("A stage-1 context descriptor (ASID 1997, 16K granule, 60-bit input):");
    Cd cd =
        Cd.builder()
            .set(CdFields.T0SZ, 4)
            .set(CdFields.TG0, Granule.SIZE_16K.tg0Encoding())
            .set(CdFields.IR0, 2)
            .set(CdFields.OR0, 1)
            .set(CdFields.SH0, 3)
            .set(CdFields.EPD1, 1)
            .set(CdFields.V, 1)
            .set(CdFields.IPS, 1)
            .set(CdFields.AA64, 1)
            .set(CdFields.R, 1)
            .set(CdFields.A, 1)
            .set(CdFields.ASET, 1)
            .set(CdFields.ASID, 1997)
            .set(CdFields.TTB0, 0xdaedbeefdeadbeefL)
            .set(CdFields.MAIR, 0x0abcdef012345678L)
            .build();
    show(out, "S1 CD", cd, 0x07cde201c0003684L, 0x000dbeefdeadbee0L, 0, 0x0abcdef012345678L);
    out.println();
  }

  private void commands(PrintWriter out) {
    out.println("Commands a driver sends, encoded and decoded:");
    show(out, "CFGI_STE", Command.cfgiSte(8, true), 0x0000000800000003L, 0x1L);
    show(out, "CFGI_ALL", Command.cfgiAll(), 0x4L, 0x1fL);
    show(
        out,
        "TLBI_NH_VA",
        Command.tlbiNhVa(0, 778, TlbiRange.of(0, Granule.SIZE_4K, 15, 1, 3, true)),
        0x030a00000010f012L,
        0x0000000000000701L);
    show(out, "CMD_SYNC", Command.cmdSync(Command.CS_SEV, 3, 0xf, 0, 0), 0x000000000fc02046L, 0x0L);
  }

  private void pageTables(PrintWriter out) {
    out.println("An io-pgtable in simulated physical memory (stage 1, 4K granule, 48-bit):");
    try {
      PhysicalMemory memory = new PhysicalMemory(48);
      PageAllocator allocator =
          new PageAllocator(memory, List.of(new RamRange(RAM_BASE, RAM_BYTES)));
      IoPageTable table =
          IoPageTable.create(
              PageTableConfig.of(Stage.STAGE_1, Granule.SIZE_4K, 48, 48), memory, allocator);
      int prot = Prot.READ | Prot.WRITE | Prot.CACHE;
      table.map(0x1000_0000L, 0x8000_0000L, 2 << 20, prot);
      table.map(0x1020_0000L, 0x9000_0000L, 3 * 4096, prot | Prot.NOEXEC);
      out.printf("  map [0x10000000, +2M) -> 0x80000000, [0x10200000, +12K) -> 0x90000000%n");
      PageTableCensus census =
          PageTableCensus.take(
              memory,
              Stage.STAGE_1,
              Granule.SIZE_4K,
              table.geometry().startLevel(),
              table.geometry().pgdEntries(),
              table.ttbr());
      for (PageTableCensus.Leaf leaf : census.leaves()) {
        out.printf(
            "  0x%09x %4dK  %s%n",
            leaf.iova(),
            leaf.size() >> 10,
            LpaeDescriptor.decode(leaf.descriptor(), Stage.STAGE_1, leaf.level(), Granule.SIZE_4K)
                .describe());
      }
      check(out, "leaves", census.leaves().size() == 4 && census.anomalies().isEmpty());
      check(out, "iova 0x10123456", table.iovaToPhys(0x1012_3456L) == 0x8012_3456L);
      check(out, "iova 0x10202abc", table.iovaToPhys(0x1020_2abcL) == 0x9000_2abcL);
      UnmapResult unmapped = table.unmap(0x1020_1000L, 4096);
      out.printf(
          "  unmap 0x10201000 +4K: %d bytes, leaf size %d, tables freed: %s%n",
          unmapped.unmappedBytes(), unmapped.leafSize(), unmapped.tablesFreed());
      check(out, "unmapped page faults", table.iovaToPhys(0x1020_1000L) == 0);
      check(
          out, "partial block unmap refused", table.unmap(0x1000_0000L, 4096).unmappedBytes() == 0);
      int pages = census.tablePages().size();
      out.printf(
          "  %d table pages; memory touched: %d KiB in %d frames%n",
          pages, memory.touchedBytes() >> 10, memory.touchedFrames());
      table.destroy();
      check(out, "destroy returns every page", allocator.allocationsOutstanding() == 0);
    } catch (Exception e) {
      checks++;
      failures.add("page tables: " + e);
      out.println("  FAILED: " + e);
    }
  }

  private void check(PrintWriter out, String what, boolean ok) {
    checks++;
    if (!ok) {
      failures.add(what);
    }
    out.printf("  %-34s %s%n", what, ok ? "ok" : "FAILED");
  }

  private void show(PrintWriter out, String label, QwordImage image, long... expectedLow) {
    checks++;
    long[] q = image.toQwords();
    boolean ok = true;
    for (int i = 0; i < q.length; i++) {
      long expected = i < expectedLow.length ? expectedLow[i] : 0;
      ok &= q[i] == expected;
    }
    ok &= image.describe().equals(redecode(image).describe());
    if (!ok) {
      failures.add(label + ": " + image);
    }
    StringBuilder hex = new StringBuilder();
    for (int i = 0; i < Math.min(q.length, 4); i++) {
      hex.append(String.format("%016x ", q[i]));
    }
    out.printf("  %-12s %s %s%n", label, ok ? "ok  " : "DIFF", hex.toString().trim());
    out.printf("  %-12s      %s%n", "", image.describe());
  }

  private static QwordImage redecode(QwordImage image) {
    long[] q = image.toQwords();
    if (image instanceof Ste) {
      return Ste.decode(q);
    }
    if (image instanceof Cd) {
      return Cd.decode(q);
    }
    return Command.decode(q[0], q[1]);
  }
}
