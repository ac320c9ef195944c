package org.smmulab.arch.cmd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandBatchTest {
  @Test
  void keepsCommandsInOrderPastItsInitialCapacity() {
    CommandBatch batch = new CommandBatch();
    List<Command> expected = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      Command c = i % 2 == 0 ? Command.tlbiNhAsid(0, i) : Command.cfgiSte(i, i % 3 == 0);
      expected.add(c);
      batch.add(c);
    }
    assertThat(batch.size()).isEqualTo(200);
    assertThat(batch.toList()).isEqualTo(expected);
    assertThat(batch.opcodeValue(1)).isEqualTo(Opcode.CFGI_STE.value());
    assertThat(batch.qword(2, 0)).isEqualTo(expected.get(2).qword(0));
    assertThat(batch.command(199)).isEqualTo(expected.get(199));
  }

  @Test
  void clearEmptiesItForReuse() {
    CommandBatch batch = CommandBatch.of(Command.tlbiNhAll(3), Command.tlbiS12Vmall(4));
    batch.clear();
    assertThat(batch.isEmpty()).isTrue();
    batch.add(0x12, 0x34);
    assertThat(batch.size()).isEqualTo(1);
    assertThat(batch.qword(0, 0)).isEqualTo(0x12);
    assertThat(batch.qword(0, 1)).isEqualTo(0x34);
  }

  @Test
  void refusesIndexesPastItsEndEvenWhereStorageRemains() {
    CommandBatch batch = CommandBatch.of(Command.tlbiNhAll(3), Command.tlbiS12Vmall(4));
    batch.clear();
    batch.add(Command.tlbiNhAll(5));
    assertThatThrownBy(() -> batch.qword(1, 0))
        .isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessageContaining("command 1 qword 0 of a batch of 1");
    assertThatThrownBy(() -> batch.qword(0, 2)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> batch.qword(-1, 0)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void aBatchSizedForOneCommandStillGrows() {
    CommandBatch batch = new CommandBatch(1);
    for (int i = 0; i < 5; i++) {
      batch.add(Command.tlbiNhAll(i));
    }
    assertThat(batch.toList())
        .containsExactly(
            Command.tlbiNhAll(0),
            Command.tlbiNhAll(1),
            Command.tlbiNhAll(2),
            Command.tlbiNhAll(3),
            Command.tlbiNhAll(4));
    assertThat(new CommandBatch(0).isEmpty()).isTrue();
    assertThatThrownBy(() -> new CommandBatch(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-1 commands");
  }
}
