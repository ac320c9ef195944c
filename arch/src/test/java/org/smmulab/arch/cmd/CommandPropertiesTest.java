package org.smmulab.arch.cmd;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.smmulab.arch.codec.Field;

/** Properties of the command codec over arbitrary bit patterns, opcodes, fields and values. */
class CommandPropertiesTest {
  private static final long[] EDGE_VALUES = {0, 1, -1, 0x5555_5555_5555_5555L, Long.MIN_VALUE};

  @Property(seed = "20240611", tries = 500)
  void decodeThenToQwordsRoundTripsEveryPattern(@ForAll long q0, @ForAll long q1) {
    Command c = Command.decode(q0, q1);
    assertThat(c.toQwords()).containsExactly(q0, q1);
    assertThat(Command.decode(c.qword(0), c.qword(1))).isEqualTo(c);
    assertThat(c.opcodeValue()).isEqualTo((int) (q0 & 0xFF));
  }

  @Property(seed = "20240612", tries = 500)
  void describeNeverThrowsAndStartsWithTheOpcodeName(@ForAll long q0, @ForAll long q1) {
    Command c = Command.decode(q0, q1);
    String expectedName =
        c.isArchitected() ? c.opcode().specName() : String.format("reserved(0x%02x)", q0 & 0xFF);
    assertThat(c.describe()).startsWith(expectedName);
    assertThat(c.fields()).isNotNull();
    assertThat(c.toString()).contains(String.format("0x%016x", q1));
  }

  @Property(seed = "20240613", tries = 500)
  void architectedOpcodeWithRandomBodyRoundTrips(
      @ForAll Opcode opcode, @ForAll long body0, @ForAll long q1) {
    long q0 = (body0 & ~0xFFL) | opcode.value();
    Command c = Command.decode(q0, q1);
    assertThat(c.opcode()).isEqualTo(opcode);
    assertThat(c.layout()).isSameAs(opcode.layout());
    assertThat(c.toBuilder().build()).isEqualTo(c);
  }

  @Property(seed = "20240614", tries = 1000)
  void setThenGetTruncatesAndLeavesOtherBitsAlone(
      @ForAll Opcode opcode,
      @ForAll @IntRange(min = 0, max = 63) int fieldPick,
      @ForAll long body0,
      @ForAll long q1,
      @ForAll long value) {
    List<Field> fields = bodyFields(opcode);
    Assume.that(!fields.isEmpty());
    Field field = fields.get(fieldPick % fields.size());
    checkSetGet(opcode, field, (body0 & ~0xFFL) | opcode.value(), q1, value);
  }

  @Test
  void everyFieldOfEveryOpcodeRoundTripsEdgeValues() {
    for (Opcode opcode : Opcode.values()) {
      for (Field field : bodyFields(opcode)) {
        for (long start : EDGE_VALUES) {
          for (long value : EDGE_VALUES) {
            checkSetGet(opcode, field, (start & ~0xFFL) | opcode.value(), ~start, value);
            long oneAboveField = field.isAddress() ? 0 : 1L << Math.min(63, field.width());
            checkSetGet(opcode, field, (start & ~0xFFL) | opcode.value(), start, oneAboveField);
          }
        }
      }
    }
  }

  private static void checkSetGet(Opcode opcode, Field field, long q0, long q1, long value) {
    Command before = Command.decode(q0, q1);
    Command after = before.toBuilder().set(field, value).build();

    long widthMask = field.width() == 64 ? -1L : (1L << field.width()) - 1;
    long expected = field.isAddress() ? value & (widthMask << field.lo()) : value & widthMask;
    assertThat(after.get(field)).as("%s.%s", opcode, field.name()).isEqualTo(expected);
    assertThat(after.opcode()).isEqualTo(opcode);

    long inPlace = widthMask << field.lo();
    for (int i = 0; i < 2; i++) {
      long untouched = i == field.qword() ? ~inPlace : -1L;
      assertThat(after.qword(i) & untouched)
          .as("%s.%s changed q%d outside its bits", opcode, field.name(), i)
          .isEqualTo(before.qword(i) & untouched);
    }
    for (Field other : opcode.layout().fields()) {
      if (other != field) {
        assertThat(after.get(other)).isEqualTo(before.get(other));
      }
    }
  }

  private static List<Field> bodyFields(Opcode opcode) {
    List<Field> fields = new ArrayList<>(opcode.layout().fields());
    fields.remove(Opcode.FIELD);
    return fields;
  }
}
