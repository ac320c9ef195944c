package org.smmulab.arch.cmd;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A reusable buffer of encoded commands, two qwords each, in the order they are to be issued: what
 * a driver fills before it copies a batch into a command queue (Linux keeps the same thing on the
 * stack as {@code struct arm_smmu_cmdq_batch}). Encoders write their qwords straight into it, so a
 * batch built and submitted over and over allocates nothing once it has grown to its working size.
 *
 * <p>Not thread-safe: a batch belongs to the thread filling it, and a consumer handed one reads it
 * during the call only (copy what must outlive the call, for instance with {@link #toList()}).
 */
public final class CommandBatch {
  private static final int INITIAL_COMMANDS = 64;

  private long[] qwords;
  private int size;

  /** An empty batch with room for 64 commands before it grows. */
  public CommandBatch() {
    this(INITIAL_COMMANDS);
  }

  /**
   * An empty batch with room for {@code commands} commands before it grows.
   *
   * @throws IllegalArgumentException if {@code commands} is negative
   */
  public CommandBatch(int commands) {
    if (commands < 0) {
      throw new IllegalArgumentException("a batch cannot hold " + commands + " commands");
    }
    qwords = new long[2 * Math.max(1, commands)];
  }

  /** A batch holding {@code commands}, in list order, sized to them. */
  public static CommandBatch of(List<Command> commands) {
    CommandBatch batch = new CommandBatch(commands.size());
    for (Command c : commands) {
      batch.add(c);
    }
    return batch;
  }

  /** A batch holding {@code commands}, in order. */
  public static CommandBatch of(Command... commands) {
    return of(Arrays.asList(commands));
  }

  /** Appends one encoded command: qword 0 (the opcode byte in bits [7:0]) and qword 1. */
  public void add(long qword0, long qword1) {
    int at = 2 * size;
    if (at == qwords.length) {
      qwords = Arrays.copyOf(qwords, 2 * qwords.length);
    }
    qwords[at] = qword0;
    qwords[at + 1] = qword1;
    size++;
  }

  /** Appends {@code command}'s two qwords. */
  public void add(Command command) {
    add(command.qword(0), command.qword(1));
  }

  /** The number of commands. */
  public int size() {
    return size;
  }

  /** Whether the batch holds no command. */
  public boolean isEmpty() {
    return size == 0;
  }

  /** Empties the batch, keeping its storage. */
  public void clear() {
    size = 0;
  }

  /**
   * Qword {@code which} (0 or 1) of command {@code index}.
   *
   * @throws IndexOutOfBoundsException if {@code index} is not below {@link #size()} or {@code
   *     which} is neither 0 nor 1
   */
  public long qword(int index, int which) {
    if (index < 0 || index >= size || (which & ~1) != 0) {
      throw new IndexOutOfBoundsException(
          "command " + index + " qword " + which + " of a batch of " + size);
    }
    return qwords[2 * index + which];
  }

  /** The raw opcode byte of command {@code index}. */
  public int opcodeValue(int index) {
    return (int) (qword(index, 0) & 0xFF);
  }

  /** Command {@code index}, decoded. */
  public Command command(int index) {
    return Command.decode(qword(index, 0), qword(index, 1));
  }

  /** The commands, decoded into a new list the caller owns. */
  public List<Command> toList() {
    List<Command> list = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      list.add(command(i));
    }
    return list;
  }

  @Override
  public String toString() {
    return toList().toString();
  }
}
