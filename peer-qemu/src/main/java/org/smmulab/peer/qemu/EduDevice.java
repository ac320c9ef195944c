package org.smmulab.peer.qemu;

import org.smmulab.peer.EduPort;

/**
 * QEMU's edu device as a DMA engine: BAR0 assigned and memory space plus bus mastering enabled at
 * construction; a transfer programs source, destination and count, starts the copy, and waits in
 * the guest until the command register's run bit clears (about 100 ms of guest time per copy).
 *
 * <p>edu terminates QEMU if a transfer's device-side range is not strictly inside its buffer
 * (0x40000 + offset + length must stay below 0x40fff + 1, and QEMU 7.2 also refuses a range ending
 * exactly at the buffer's end), and it clamps DMA addresses to 28 bits, printing a warning on
 * QEMU's standard output, which is the stub's line; {@link #transfer} refuses both before anything
 * is sent.
 */
public final class EduDevice implements EduPort {
  /** The device-side address of the buffer. */
  public static final long BUFFER_ADDRESS = 0x40000;

  private static final int BAR0 = 0x10;
  private static final int COMMAND = 0x04;
  private static final int MEMORY_AND_BUS_MASTER = 0x6;
  private static final int ID = 0x00;
  private static final int EDU_ID_MASK = 0xffff;
  private static final int EDU_ID = 0x00ed;
  private static final int DMA_SOURCE = 0x80;
  private static final int DMA_DESTINATION = 0x88;
  private static final int DMA_COUNT = 0x90;
  private static final int DMA_COMMAND = 0x98;
  private static final int RUN = 1;
  private static final int TO_MEMORY = 1 << 1;
  private static final long DMA_TIMEOUT_MICROS = 5_000_000;

  private final String name;
  private final StubLink link;
  private final PciFunction function;
  private final long bar;

  /**
   * Sizes and assigns BAR0 at {@code barAddress}, enables the function and checks that it answers
   * as edu.
   */
  private EduDevice(String name, StubLink link, Ecam ecam, PciFunction function, long barAddress) {
    this.name = name;
    this.link = link;
    this.function = function;
    this.bar = barAddress;
    ecam.write32(function, BAR0, 0xffff_ffff);
    int sized = ecam.read32(function, BAR0);
    long size = (~(sized & ~0xfL) & 0xffff_ffffL) + 1;
    if ((sized & 1) != 0 || size == 0 || (barAddress & (size - 1)) != 0) {
      throw new PeerLinkException(
          String.format(
              "%s BAR0 reads 0x%x after sizing; cannot place it at 0x%x",
              function, sized, barAddress));
    }
    ecam.write32(function, BAR0, (int) barAddress);
    ecam.write32(function, COMMAND, MEMORY_AND_BUS_MASTER);
    int id = register32(ID);
    if ((id & EDU_ID_MASK) != EDU_ID) {
      throw new PeerLinkException(
          String.format("%s does not answer as edu (ID 0x%x)", function, id));
    }
  }

  /**
   * Enables edu function {@code function} with BAR0 at {@code barAddress} (aligned to its size).
   *
   * @throws PeerLinkException if it does not behave as edu
   */
  public static EduDevice enable(
      String name, StubLink link, Ecam ecam, PciFunction function, long barAddress) {
    return new EduDevice(name, link, ecam, function, barAddress);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int streamId() {
    return function.requesterId();
  }

  /** The PCI function. */
  public PciFunction function() {
    return function;
  }

  @Override
  public void transfer(boolean toMemory, long iova, int bufferOffset, int length) {
    EduPort.requireValid(name, iova, bufferOffset, length);
    long device = BUFFER_ADDRESS + bufferOffset;
    try {
      link.write64(bar + DMA_SOURCE, toMemory ? device : iova);
      link.write64(bar + DMA_DESTINATION, toMemory ? iova : device);
      link.write64(bar + DMA_COUNT, length);
      link.write64(bar + DMA_COMMAND, RUN | (toMemory ? TO_MEMORY : 0));
      link.poll32(bar + DMA_COMMAND, RUN, 0, DMA_TIMEOUT_MICROS);
    } catch (StubError e) {
      throw new PeerLinkException(name + ": DMA did not complete: " + e.reply(), e);
    }
  }

  private int register32(int offset) {
    try {
      return link.read32(bar + offset);
    } catch (StubError e) {
      throw new PeerLinkException(
          name + ": register 0x" + Integer.toHexString(offset) + " unreadable", e);
    }
  }

  @Override
  public String toString() {
    return name + " " + function;
  }
}
