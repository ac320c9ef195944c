package org.smmulab.driver.tlbi;

import static org.smmulab.arch.cmd.CommandFields.ADDR;
import static org.smmulab.arch.cmd.CommandFields.ATC_SIZE;
import static org.smmulab.arch.cmd.CommandFields.SID;
import static org.smmulab.arch.cmd.CommandFields.SSID;
import static org.smmulab.arch.cmd.CommandFields.SSV;

import org.smmulab.arch.cmd.Command;
import org.smmulab.arch.cmd.CommandBatch;
import org.smmulab.arch.cmd.Opcode;

/**
 * Builds the ATC_INV that makes one ATS endpoint drop its translations of {@code [iova, iova +
 * size)}. An ATC_INV names a naturally aligned power-of-two block of 4 KiB pages, so the command
 * covers the smallest such block holding every page of the range, which may be far larger than the
 * range when it straddles a large alignment boundary (pages 7..10 need the 16 pages 0..15).
 *
 * <p>The command is encoded straight into its two qwords, bit for bit what {@link Command#atcInv}
 * produces with Global clear.
 */
public final class AtcInvalidation {
  /** The ATC_INV address unit: Addr and Size always count 4 KiB pages, whatever the granule. */
  public static final int PAGE_SHIFT = 12;

  private AtcInvalidation() {}

  /**
   * The ATC_INV for {@code [iova, iova + size)} of substream {@code ssid} of stream {@code sid}.
   *
   * @param sid the endpoint's StreamID
   * @param ssid the PASID; 0 means "no PASID", which sends the invalidation without one so that it
   *     also removes every PASID's entries in the range (SSV is set iff {@code ssid != 0})
   * @param iova the first byte; need not be aligned
   * @param size bytes, unsigned; 0 or all ones means the whole ATC (Size = {@link
   *     Command#ATC_SIZE_ALL}, address 0)
   * @throws IllegalArgumentException if the range passes the end of the address space
   */
  public static Command command(int sid, int ssid, long iova, long size) {
    long q1 = addressQword(iova, size);
    return Command.decode(qword0(sid, ssid), q1);
  }

  /**
   * Appends the command {@link #command} builds to {@code out}, encoded in place.
   *
   * @throws IllegalArgumentException if the range passes the end of the address space (nothing is
   *     appended)
   */
  public static void appendTo(CommandBatch out, int sid, int ssid, long iova, long size) {
    long q1 = addressQword(iova, size);
    appendWithAddress(out, sid, ssid, q1);
  }

  /**
   * Appends the ATC_INV of substream {@code ssid} of stream {@code sid} whose qword 1 is {@code
   * addressQword}, as {@link #addressQword} computed it: for an invalidation sent to many
   * endpoints, whose address part is the same for all of them.
   */
  public static void appendWithAddress(CommandBatch out, int sid, int ssid, long addressQword) {
    out.add(qword0(sid, ssid), addressQword);
  }

  /**
   * Qword 1 of the ATC_INV for {@code [iova, iova + size)}: the naturally aligned block of 4 KiB
   * pages covering the range, or the whole ATC for size 0 or all ones. It does not depend on the
   * endpoint.
   *
   * @throws IllegalArgumentException if the range passes the end of the address space
   */
  public static long addressQword(long iova, long size) {
    if (size == 0 || size == -1L) {
      return qword1(0, Command.ATC_SIZE_ALL);
    }
    if (!fitsAddressSpace(iova, size)) {
      throw new IllegalArgumentException(
          String.format("ATC range 0x%x+0x%x passes the end of the address space", iova, size));
    }
    long firstPage = iova >>> PAGE_SHIFT;
    long lastPage = (iova + size - 1) >>> PAGE_SHIFT;
    int span = Long.SIZE - Long.numberOfLeadingZeros(firstPage ^ lastPage);
    long blockStart = firstPage & -(1L << span);
    return qword1(blockStart << PAGE_SHIFT, span);
  }

  /**
   * Whether {@link #command} accepts the range: size 0 or all ones (the whole ATC), or a range that
   * ends at or below 2^64.
   */
  public static boolean fitsAddressSpace(long iova, long size) {
    return size == 0 || size == -1L || Long.compareUnsigned(iova, -size) <= 0;
  }

  private static long qword0(int sid, int ssid) {
    return Opcode.FIELD.insert(0, Opcode.ATC_INV.value())
        | SSV.insert(0, ssid != 0 ? 1 : 0)
        | SSID.insert(0, ssid)
        | SID.insert(0, Integer.toUnsignedLong(sid));
  }

  private static long qword1(long address, int size) {
    return ATC_SIZE.insert(0, size) | ADDR.insert(0, address);
  }

  /** The ATC_INV removing every translation {@code sid} holds, for every PASID. */
  public static Command all(int sid) {
    return command(sid, 0, 0, 0);
  }
}
