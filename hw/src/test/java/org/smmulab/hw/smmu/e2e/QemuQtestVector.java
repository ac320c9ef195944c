package org.smmulab.hw.smmu.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.smmulab.arch.bus.BusAbort;
import org.smmulab.arch.bus.Memory;
import org.smmulab.arch.bus.RegisterBus;
import org.smmulab.arch.regs.RegisterOffsets;
import org.smmulab.arch.testing.SharedVectors;

/**
 * QEMU's SMMUv3 qtest as the shared vectors give it ({@code qemu-smmuv3-qtest.json}): the register
 * programming sequence, the memory image per mode, the DMA and the expected PA. Every value comes
 * from the vectors; this class only parses them and knows where this model's registers are.
 *
 * <p>Values in the vectors are written as people write them ({@code "0x4e16b000 | 0x0a"}, {@code
 * "0xd (SMMUEN|EVENTQEN|CMDQEN)"}): the text before a parenthesis, OR-ed over {@code |}, each term
 * hex with {@code 0x} or decimal.
 */
final class QemuQtestVector {
  private static final JsonNode VECTORS = SharedVectors.load("qemu-smmuv3-qtest.json");
  private static final Pattern HEX = Pattern.compile("0x[0-9a-fA-F]+");

  private final JsonNode mode;

  /** The vector of one mode: {@code S1_ONLY}, {@code S2_ONLY} or {@code NESTED}. */
  QemuQtestVector(String modeName) {
    this.mode = VECTORS.get("modes").get(modeName);
    if (mode == null) {
      throw new IllegalArgumentException("the qtest vectors have no mode " + modeName);
    }
  }

  /** A number written as in the vectors. */
  static long value(String text) {
    int paren = text.indexOf('(');
    String expression = paren < 0 ? text : text.substring(0, paren);
    long v = 0;
    for (String term : expression.split("\\|")) {
      String t = term.trim();
      v |= t.startsWith("0x") || t.startsWith("0X") ? SharedVectors.hex(t) : Long.parseLong(t);
    }
    return v;
  }

  /** The first hex number in a description, for fields the vectors describe in words. */
  static long firstHex(String description) {
    Matcher m = HEX.matcher(description);
    if (!m.find()) {
      throw new IllegalArgumentException("no hex number in the vector text '" + description + "'");
    }
    return SharedVectors.hex(m.group());
  }

  /**
   * This model's offset of a register the vectors name at {@code qemuOffset}. QEMU aliases page 1
   * onto page 0, so the vectors give the event queue's PROD and CONS at their page-0 offsets; this
   * model has them in page 1 only, as the architecture does.
   *
   * @throws AssertionError if the name is unknown or its offset is not the architected one
   */
  static int offset(String name, int qemuOffset) {
    int ours =
        switch (name) {
          case "GBPA" -> RegisterOffsets.GBPA;
          case "CR0" -> RegisterOffsets.CR0;
          case "CR1" -> RegisterOffsets.CR1;
          case "CR2" -> RegisterOffsets.CR2;
          case "CMDQ_BASE" -> RegisterOffsets.CMDQ_BASE;
          case "CMDQ_PROD" -> RegisterOffsets.CMDQ_PROD;
          case "CMDQ_CONS" -> RegisterOffsets.CMDQ_CONS;
          case "EVENTQ_BASE" -> RegisterOffsets.EVTQ_BASE;
          case "EVENTQ_PROD" -> RegisterOffsets.EVTQ_PROD;
          case "EVENTQ_CONS" -> RegisterOffsets.EVTQ_CONS;
          case "STRTAB_BASE" -> RegisterOffsets.STRTAB_BASE;
          case "STRTAB_BASE_CFG" -> RegisterOffsets.STRTAB_BASE_CFG;
          default -> throw new AssertionError("the qtest programs an unknown register " + name);
        };
    if (ours != qemuOffset && ours != RegisterOffsets.PAGE_1 + qemuOffset) {
      throw new AssertionError(
          String.format("%s is at 0x%x in the vectors but 0x%x here", name, qemuOffset, ours));
    }
    return ours;
  }

  /**
   * Replays the register programming sequence in order, 64-bit registers as 64-bit writes, and
   * after each CR0 write polls CR0ACK as software must before the next step.
   */
  static void programRegisters(RegisterBus regs) {
    for (JsonNode step : VECTORS.get("registers_in_order")) {
      String name = step.get(0).asText();
      int offset = offset(name, step.get(1).asInt());
      long value = value(step.get(2).asText());
      if (name.endsWith("_BASE")) {
        regs.write64(offset, value);
      } else {
        regs.write32(offset, (int) value);
      }
      if (name.equals("CR0")) {
        Registers.awaitEqual(regs, RegisterOffsets.CR0ACK, (int) value);
      }
    }
  }

  /** The stream table base the sequence programs. */
  static long streamTable() {
    for (JsonNode step : VECTORS.get("registers_in_order")) {
      if (step.get(0).asText().equals("STRTAB_BASE")) {
        return value(step.get(2).asText());
      }
    }
    throw new AssertionError("the qtest sequence does not program STRTAB_BASE");
  }

  /** The test device's StreamID (its PCI devfn, as the vectors describe it). */
  static int streamId() {
    return (int) firstHex(VECTORS.get("ste_fields").get("sid").asText());
  }

  /** The device's DMA address. */
  static long iova() {
    return value(VECTORS.get("dma").get("iova").asText());
  }

  /** The value the device writes, as little-endian bytes of the DMA's length. */
  static byte[] deviceWrite() {
    long v = firstHex(VECTORS.get("dma").get("device_writes").asText());
    byte[] bytes = new byte[VECTORS.get("dma").get("len").asInt()];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (v >>> (8 * i));
    }
    return bytes;
  }

  /** The PA the DMA must reach in this mode. */
  long expectedPa() {
    return value(mode.get("expected_pa").asText());
  }

  /** The mode's STE. */
  long[] ste() {
    return SharedVectors.qwords(mode.get("ste_qwords"));
  }

  /**
   * Writes the mode's memory image: the table writes in the qtest's order, then the STE at the
   * stream table slot of the device and the CD (if the mode has one) at the STE's S1ContextPtr.
   *
   * @throws AssertionError if replaying the writes does not give the vectors' final memory
   */
  void writeMemory(Memory memory, long[] ste) throws BusAbort {
    for (JsonNode write : mode.get("writes")) {
      memory.write64(SharedVectors.hex(write.get(0)), SharedVectors.hex(write.get(1)));
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = mode.get("final_memory").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> word = it.next();
      long address = SharedVectors.hex(word.getKey());
      if (memory.read64(address) != SharedVectors.hex(word.getValue())) {
        throw new AssertionError("replaying the qtest writes leaves 0x" + word.getKey() + " wrong");
      }
    }
    write(memory, streamTable() + streamId() * 64L, ste);
    JsonNode cd = mode.get("cd_qwords");
    if (cd != null && !cd.isNull()) {
      write(
          memory,
          value(VECTORS.get("ste_fields").get("S1ContextPtr").asText()),
          SharedVectors.qwords(cd));
    }
  }

  private static void write(Memory memory, long address, long[] qwords) throws BusAbort {
    for (int i = 0; i < qwords.length; i++) {
      memory.write64(address + 8L * i, qwords[i]);
    }
  }
}
