package org.smmulab.driver.tlbi;

import org.smmulab.arch.cmd.Command;
import org.smmulab.arch.cmd.TlbiRange;

/**
 * An emitted TLBI read back from its two qwords, with the byte range it invalidates worked out from
 * the encoded fields alone: TG selects the page size (4K, 16K, 64K for 1, 2, 3), a range covers
 * (NUM + 1) * 2^SCALE pages, and a single-address command (TG = 0) removes the entry holding its
 * address, which the caller says is {@code singleEntryBytes} long.
 */
record DecodedTlbi(Command command, TlbiRange fields, long start, long length) {

  static DecodedTlbi of(Command emitted, long singleEntryBytes) {
    Command decoded = Command.decode(emitted.qword(0), emitted.qword(1));
    TlbiRange r = decoded.tlbiRange();
    long length;
    if (r.tg() == 0) {
      length = singleEntryBytes;
    } else {
      int pageShift = 10 + 2 * r.tg();
      length = ((long) r.num() + 1) << (r.scale() + pageShift);
    }
    return new DecodedTlbi(decoded, r, r.address(), length);
  }

  /** log2 of the range's page size, from TG. */
  int pageShift() {
    return 10 + 2 * fields.tg();
  }

  /** First byte after the covered range. */
  long end() {
    return start + length;
  }

  /** Whether the encoding is one the architecture reserves (so the SMMU would reject it). */
  boolean reservedEncoding() {
    if (fields.tg() == 0) {
      return fields.num() != 0 || fields.scale() != 0 || fields.ttl() != 0;
    }
    boolean noRangeNoHint = fields.num() == 0 && fields.scale() == 0 && fields.ttl() == 0;
    boolean sixteenKLevelOne = fields.tg() == 2 && fields.ttl() == 1;
    return noRangeNoHint || sixteenKLevelOne;
  }

  /** Bytes one entry at the TTL level maps (the page size when TTL is 0). */
  long ttlLevelBytes() {
    int p = pageShift();
    int level = fields.ttl() == 0 ? 3 : fields.ttl();
    return 1L << (p + (3 - level) * (p - 3));
  }
}
