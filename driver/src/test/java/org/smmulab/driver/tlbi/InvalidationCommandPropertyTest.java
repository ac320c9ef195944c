package org.smmulab.driver.tlbi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.smmulab.arch.cmd.Command;
import org.smmulab.arch.cmd.CommandBatch;
import org.smmulab.arch.cmd.Opcode;

/**
 * Random invalidations, checked by reading the emitted commands back with {@link DecodedTlbi}: the
 * commands tile the request in ascending order, never use a reserved encoding, and overshoot only
 * by the one page non-leaf ranges may add. ATC commands are checked against a brute-force search
 * for the smallest aligned block.
 */
class InvalidationCommandPropertyTest {

  /**
   * One request: {@code count} entries of {@code 2^entryShift} bytes from entry index {@code
   * firstEntry}, in a table whose smallest page is {@code 2^tg}.
   */
  record Request(int tg, boolean blocks, long firstEntry, int count, boolean leaf, boolean ril) {
    long granule() {
      int p = tg;
      return blocks ? 1L << (p + (p - 3)) : 1L << p;
    }

    long iova() {
      return firstEntry * granule();
    }

    long size() {
      return count * granule();
    }
  }

  @Provide
  Arbitrary<Request> requests() {
    Arbitrary<Integer> tg = Arbitraries.of(12, 14, 16);
    Arbitrary<Boolean> blocks = Arbitraries.integers().between(0, 3).map(n -> n == 0);
    return Combinators.combine(
            tg,
            blocks,
            Arbitraries.longs().between(0, 1 << 14),
            Arbitraries.integers().between(1, 3000),
            Arbitraries.of(true, false),
            Arbitraries.of(true, false))
        .as(
            (t, b, first, count, leaf, ril) ->
                new Request(t, b, first, b ? 1 + count % 64 : count, leaf, ril));
  }

  @Property(tries = 300, seed = "1311")
  void commandsTileTheRequestWithoutReservedEncodings(@ForAll("requests") Request r) {
    TlbiBase base = TlbiBase.nhVa(5, 0x77);
    long page = 1L << r.tg();
    List<Command> emitted =
        new TlbiRangeBuilder(r.ril())
            .commands(base, r.iova(), r.size(), r.granule(), r.tg(), r.leaf());
    assertThat(emitted).isNotEmpty();

    long cursor = r.iova();
    for (Command c : emitted) {
      DecodedTlbi d = DecodedTlbi.of(c, r.granule());
      assertThat(c)
          .as("encoded as the arch factory encodes it")
          .isEqualTo(base.with(c.tlbiRange()));
      assertThat(d.command().opcode()).isEqualTo(Opcode.TLBI_NH_VA);
      assertThat(d.command().vmid()).isEqualTo(5);
      assertThat(d.command().asid()).isEqualTo(0x77);
      assertThat(d.fields().leaf()).isEqualTo(r.leaf());
      assertThat(d.reservedEncoding()).as("reserved encoding %s", c.describe()).isFalse();
      assertThat(d.start()).as("contiguous, ascending").isEqualTo(cursor);
      if (r.ril()) {
        assertThat(d.pageShift()).as("TG names the table's page size").isEqualTo(r.tg());
        assertThat(d.fields().num()).isBetween(0, 31);
        assertThat(d.fields().scale()).isBetween(0, 31);
        assertThat(d.start() % d.ttlLevelBytes()).as("aligned to the TTL level").isZero();
        if (r.leaf()) {
          assertThat(d.ttlLevelBytes()).as("TTL names the leaf level").isEqualTo(r.granule());
        } else {
          assertThat(d.fields().ttl()).isZero();
        }
      } else {
        assertThat(d.fields().tg()).isZero();
      }
      cursor = d.end();
    }

    long end = r.iova() + r.size();
    if (r.ril() && !r.leaf()) {
      assertThat(cursor - end).as("at most the one added page").isIn(0L, page);
    } else {
      assertThat(cursor).as("exactly the request").isEqualTo(end);
    }
  }

  @Property(tries = 100, seed = "1312")
  void everyPageCountSplitsIntoAtMostOneCommandPerFiveBits(
      @ForAll @LongRange(min = 1, max = (1L << 31) - 1) long pages, @ForAll boolean leaf) {
    List<Command> emitted =
        new TlbiRangeBuilder(true).commands(TlbiBase.s2Ipa(1), 0, pages << 12, 0x1000, 12, leaf);
    int groups = (64 - Long.numberOfLeadingZeros(pages) + 4) / 5;
    assertThat(emitted.size()).isLessThanOrEqualTo(groups + 1);
    long covered = 0;
    for (Command c : emitted) {
      DecodedTlbi d = DecodedTlbi.of(c, 0x1000);
      assertThat(d.reservedEncoding()).isFalse();
      assertThat(d.start()).isEqualTo(covered);
      covered = d.end();
    }
    assertThat(covered >>> 12).isBetween(pages, leaf ? pages : pages + 1);
  }

  @Property(tries = 300, seed = "1313")
  void atcCommandIsTheSmallestAlignedBlockHoldingTheRange(
      @ForAll @IntRange(min = 0, max = 0xFFFF) int sid,
      @ForAll @IntRange(min = 0, max = 0xF_FFFF) int ssid,
      @ForAll @LongRange(min = 0, max = 1L << 48) long iova,
      @ForAll @LongRange(min = 1, max = 1L << 26) long size) {
    Command emitted = AtcInvalidation.command(sid, ssid, iova, size);
    Command d = Command.decode(emitted.qword(0), emitted.qword(1));
    assertThat(emitted)
        .as("encoded as the arch factory encodes it")
        .isEqualTo(Command.atcInv(sid, ssid, d.address(), d.size(), false));
    assertThat(d.opcode()).isEqualTo(Opcode.ATC_INV);
    assertThat(d.sid()).isEqualTo(sid);
    assertThat(d.ssv()).isEqualTo(ssid != 0);
    assertThat(d.ssid()).isEqualTo(ssid);
    assertThat(d.global()).isFalse();

    long firstPage = iova / 4096;
    long lastPage = (iova + size - 1) / 4096;
    int smallest = 0;
    while ((firstPage >> smallest) != (lastPage >> smallest)) {
      smallest++;
    }
    int span = d.size();
    long blockPage = d.address() / 4096;
    assertThat(span).as("minimal span").isEqualTo(smallest);
    assertThat(blockPage % (1L << span)).as("aligned").isZero();
    assertThat(blockPage).isLessThanOrEqualTo(firstPage);
    assertThat(lastPage).isLessThan(blockPage + (1L << span));
  }

  @Property(tries = 300, seed = "1316")
  void atcCommandsEncodedIntoABatchEqualTheCommandFactory(
      @ForAll @IntRange(min = 0, max = 0xFFFF) int sid,
      @ForAll @IntRange(min = 0, max = 0xF_FFFF) int ssid,
      @ForAll @LongRange(min = 0, max = 1L << 48) long iova,
      @ForAll @LongRange(min = 0, max = 1L << 26) long size) {
    CommandBatch batch = new CommandBatch();
    batch.add(Command.cmdSync(Command.CS_NONE, 0, 0, 0, 0));
    AtcInvalidation.appendTo(batch, sid, ssid, iova, size);
    assertThat(batch.toList())
        .containsExactly(
            Command.cmdSync(Command.CS_NONE, 0, 0, 0, 0),
            AtcInvalidation.command(sid, ssid, iova, size));
  }

  @Property(tries = 200, seed = "1317")
  void wholeTagCommandsEncodedIntoABatchEqualTheCommandFactory(
      @ForAll("wholeTagForms") Opcode opcode, @ForAll int id) {
    CommandBatch batch = new CommandBatch();
    TagInvalidation.appendTo(batch, opcode, id);
    assertThat(batch.toList()).containsExactly(TagInvalidation.command(opcode, id));
  }

  @Provide
  Arbitrary<Opcode> wholeTagForms() {
    return Arbitraries.of(
        Opcode.TLBI_NH_ASID, Opcode.TLBI_EL2_ASID, Opcode.TLBI_S12_VMALL, Opcode.TLBI_NH_ALL);
  }

  @Provide
  Arbitrary<Opcode> addressForms() {
    return Arbitraries.of(
        Opcode.TLBI_NH_VA,
        Opcode.TLBI_NH_VAA,
        Opcode.TLBI_EL2_VA,
        Opcode.TLBI_EL2_VAA,
        Opcode.TLBI_EL3_VA,
        Opcode.TLBI_S2_IPA);
  }

  @Property(tries = 300, seed = "1314")
  void onePlanStampedWithAnyTagEqualsTheArchFactories(
      @ForAll("requests") Request r,
      @ForAll("addressForms") Opcode opcode,
      @ForAll @IntRange(min = 0, max = 0xFFFF) int vmid,
      @ForAll @IntRange(min = 0, max = 0xFFFF) int asid) {
    TlbiRangePlan plan = new TlbiRangePlan();
    // Plan something else first: a plan is reused from walk to walk.
    assertThat(plan.plan(true, 0, 64L << 12, 0x1000, 12, true)).isTrue();
    assertThat(plan.plan(r.ril(), r.iova(), r.size(), r.granule(), r.tg(), r.leaf())).isTrue();
    CommandBatch stamped = new CommandBatch();
    assertThat(plan.appendTo(opcode, vmid, asid, stamped)).isTrue();

    TlbiBase base = new TlbiBase(opcode, vmid, asid);
    List<Command> expected =
        new TlbiRangeBuilder(r.ril())
                .commands(TlbiBase.nhVa(0, 0), r.iova(), r.size(), r.granule(), r.tg(), r.leaf())
                .stream()
                .map(c -> base.with(c.tlbiRange()))
                .toList();
    assertThat(stamped.toList()).isEqualTo(expected);
  }

  @Property(tries = 200, seed = "1315")
  void wholeTagCommandsEqualTheArchFactories(@ForAll int id) {
    assertThat(TagInvalidation.command(Opcode.TLBI_NH_ASID, id))
        .isEqualTo(Command.tlbiNhAsid(0, id));
    assertThat(TagInvalidation.command(Opcode.TLBI_EL2_ASID, id))
        .isEqualTo(Command.tlbiEl2Asid(id));
    assertThat(TagInvalidation.command(Opcode.TLBI_S12_VMALL, id))
        .isEqualTo(Command.tlbiS12Vmall(id));
    assertThat(TagInvalidation.command(Opcode.TLBI_NH_ALL, id)).isEqualTo(Command.tlbiNhAll(id));
  }
}
