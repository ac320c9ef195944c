package org.smmulab.verify.oracle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.smmulab.arch.pte.Granule;
import org.smmulab.arch.pte.Stage;
import org.smmulab.driver.SmmuDriver;
import org.smmulab.driver.alloc.PageAllocator;
import org.smmulab.driver.alloc.RamRange;
import org.smmulab.driver.domain.BlockedDomain;
import org.smmulab.driver.domain.PagingDomain;
import org.smmulab.driver.pgtable.Prot;
import org.smmulab.driver.queue.QueueListener;
import org.smmulab.driver.smmu.DriverOptions;
import org.smmulab.hw.memory.PhysicalMemory;
import org.smmulab.hw.pcie.DmaRequest;
import org.smmulab.hw.pcie.DmaResult;
import org.smmulab.hw.pcie.DmaSegment;

/**
 * The oracle's windows on hand-made histories: each DMA is a start stamp and an end stamp read from
 * the clock around it ({@link LogicalClock#start()}, {@link LogicalClock#end()}), and an outcome.
 */
class OracleTest {
  private static final long IOVA = 0x10_0000L;
  private static final long PA = 0x8000_0000L;
  private static final long OTHER_PA = 0x9000_0000L;

  private final LogicalClock clock = new LogicalClock();
  private final Oracle oracle = new Oracle(clock);
  private PagingDomain a;
  private PagingDomain b;

  @BeforeEach
  void setUp() throws Exception {
    PhysicalMemory memory = new PhysicalMemory(40);
    PageAllocator allocator =
        new PageAllocator(memory, List.of(new RamRange(0x4000_0000L, 16L << 20)));
    SmmuDriver driver =
        new SmmuDriver(memory, allocator, DriverOptions.DEFAULTS, QueueListener.NONE);
    a = driver.newPagingDomain("a", Stage.STAGE_1, Granule.SIZE_4K, 48, 48);
    b = driver.newPagingDomain("b", Stage.STAGE_1, Granule.SIZE_4K, 48, 48);
    oracle.register(a);
    oracle.register(b);
  }

  private void map(PagingDomain d, long iova, long pa, int prot) {
    oracle.endMap(d, iova, oracle.beginMap(d, iova, pa, 4096, prot), true);
  }

  private void unmap(PagingDomain d, long iova) {
    oracle.endUnmap(d, iova, 4096, oracle.beginUnmap(d, iova, 4096));
  }

  private void attach(String dev, PagingDomain d) {
    oracle.endAttach(dev, oracle.beginAttach(dev, d), true);
  }

  private static DmaResult reached(long pa) {
    return new DmaResult(
        true,
        new byte[8],
        List.of(new DmaSegment(IOVA, pa, 8, DmaSegment.Source.TLB)),
        -1,
        null,
        null);
  }

  private static DmaResult faulted() {
    return new DmaResult(false, null, List.of(), IOVA, null, "translation fault");
  }

  private static final DmaRequest READ = DmaRequest.read(1, IOVA, 8);
  private static final DmaRequest WRITE = DmaRequest.write(1, IOVA, new byte[8]);

  private Violation now(String dev, DmaRequest request, DmaResult result) {
    return oracle.check(dev, request, result, clock.start(), clock.end());
  }

  @Test
  void aDmaThroughALiveMappingIsFineAndAFaultThereIsALostAccess() {
    attach("dev", a);
    map(a, IOVA, PA, Prot.READ | Prot.WRITE);

    assertThat(now("dev", READ, reached(PA))).isNull();
    Violation lost = now("dev", READ, faulted());
    assertThat(lost.kind()).isEqualTo(ViolationClass.LOST_ACCESS);
    assertThat(lost.device()).isEqualTo("dev");
  }

  @Test
  void aDmaThatStartsRightAfterTheUnmapReturnedMayNotUseTheMapping() {
    attach("dev", a);
    map(a, IOVA, PA, Prot.READ);
    long before = clock.start();
    unmap(a, IOVA);

    assertThat(oracle.check("dev", READ, reached(PA), before, clock.end()))
        .as("started before the unmap returned: may still use it")
        .isNull();
    assertThat(now("dev", READ, reached(PA)).kind())
        .as("started after the return stamp, with no stamp in between")
        .isEqualTo(ViolationClass.STALE_TRANSLATION);
    assertThat(now("dev", READ, faulted())).as("a fault after the unmap is expected").isNull();
  }

  @Test
  void aDmaEndingAfterTheMapStartedMayUseItButNeedNotWork() {
    attach("dev", a);
    long before = clock.start();
    List<Oracle.MappingRecord> records = oracle.beginMap(a, IOVA, PA, 4096, Prot.READ);
    long during = clock.end();
    assertThat(oracle.check("dev", READ, reached(PA), before, during)).isNull();
    assertThat(oracle.check("dev", READ, faulted(), before, during)).isNull();
    oracle.endMap(a, IOVA, records, true);
    assertThat(oracle.check("dev", READ, faulted(), during, clock.end()))
        .as("started before the map returned")
        .isNull();
  }

  @Test
  void memoryNoDomainOfTheDeviceEverMappedIsAnIsolationBreach() {
    attach("dev", a);
    map(a, IOVA, PA, Prot.READ);
    map(b, IOVA, OTHER_PA, Prot.READ);

    Violation v = now("dev", READ, reached(OTHER_PA));
    assertThat(v.kind()).isEqualTo(ViolationClass.ISOLATION_BREACH);
    assertThat(v.pa()).isEqualTo(OTHER_PA);
    assertThat(v.source()).isEqualTo("TLB");
  }

  @Test
  void aWriteThroughAReadOnlyMappingIsAPermissionBreach() {
    attach("dev", a);
    map(a, IOVA, PA, Prot.READ);
    assertThat(now("dev", WRITE, reached(PA)).kind()).isEqualTo(ViolationClass.PERMISSION_BREACH);
    assertThat(now("dev", WRITE, faulted())).as("a refused write is right").isNull();
  }

  @Test
  void afterADetachReturnedTheOldDomainIsStaleAndDuringASwitchEitherMayServe() {
    attach("dev", a);
    map(a, IOVA, PA, Prot.READ);
    map(b, IOVA, OTHER_PA, Prot.READ);

    long before = clock.start();
    Oracle.AttachmentRecord toB = oracle.beginAttach("dev", b);
    long during = clock.end();
    assertThat(oracle.check("dev", READ, reached(PA), before, during)).isNull();
    assertThat(oracle.check("dev", READ, reached(OTHER_PA), before, during)).isNull();
    assertThat(oracle.check("dev", READ, faulted(), before, during))
        .as("neither attachment had to work across the switch")
        .isNull();
    oracle.endAttach("dev", toB, true);

    assertThat(now("dev", READ, reached(OTHER_PA))).isNull();
    assertThat(now("dev", READ, reached(PA)).kind()).isEqualTo(ViolationClass.STALE_TRANSLATION);
    oracle.endAttach("dev", oracle.beginAttach("dev", BlockedDomain.INSTANCE), true);
    assertThat(now("dev", READ, reached(OTHER_PA)).kind())
        .isEqualTo(ViolationClass.STALE_TRANSLATION);
    assertThat(now("dev", READ, faulted())).isNull();
  }

  @Test
  void aFailedAttachLeavesTheOldAttachmentInForce() {
    attach("dev", a);
    map(a, IOVA, PA, Prot.READ);
    oracle.endAttach("dev", oracle.beginAttach("dev", b), false);
    assertThat(now("dev", READ, reached(PA))).isNull();
    assertThat(now("dev", READ, faulted()).kind()).isEqualTo(ViolationClass.LOST_ACCESS);
  }

  @Test
  void anUnmapThatRemovedLessReopensTheRest() {
    attach("dev", a);
    oracle.endMap(a, IOVA, oracle.beginMap(a, IOVA, PA, 2 * 4096, Prot.READ), true);
    List<Oracle.MappingRecord> live = oracle.beginUnmap(a, IOVA, 2 * 4096);
    assertThat(live).hasSize(2);
    oracle.endUnmap(a, IOVA, 4096, live);
    DmaRequest second = DmaRequest.read(1, IOVA + 4096, 8);
    DmaResult fault = new DmaResult(false, null, List.of(), IOVA + 4096, null, "fault");
    assertThat(now("dev", second, fault).kind())
        .as("the page the unmap did not remove must still work")
        .isEqualTo(ViolationClass.LOST_ACCESS);
  }

  @Test
  void pruningForgetsClosedWindowsButNotWhatWasMapped() {
    attach("dev", a);
    map(a, IOVA, PA, Prot.READ);
    unmap(a, IOVA);
    attach("dev", b);
    oracle.prune(clock.current());

    assertThat(now("dev", READ, reached(PA)).kind())
        .as("still told from an isolation breach")
        .isEqualTo(ViolationClass.STALE_TRANSLATION);
    assertThat(now("dev", READ, reached(OTHER_PA)).kind())
        .isEqualTo(ViolationClass.ISOLATION_BREACH);
  }

  @Test
  void aDomainMustBeRegistered() throws Exception {
    PhysicalMemory memory = new PhysicalMemory(40);
    SmmuDriver other =
        new SmmuDriver(
            memory,
            new PageAllocator(memory, List.of(new RamRange(0x4000_0000L, 1L << 20))),
            DriverOptions.DEFAULTS,
            QueueListener.NONE);
    PagingDomain stranger = other.newPagingDomain("x", Stage.STAGE_1, Granule.SIZE_4K, 48, 48);
    assertThatThrownBy(() -> oracle.beginMap(stranger, IOVA, PA, 4096, Prot.READ))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("domain x was not registered");
  }
}
