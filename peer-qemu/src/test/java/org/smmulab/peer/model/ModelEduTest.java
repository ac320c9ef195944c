package org.smmulab.peer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.smmulab.arch.event.EventRecord;
import org.smmulab.arch.event.EventType;
import org.smmulab.arch.pte.Granule;
import org.smmulab.arch.pte.Stage;
import org.smmulab.driver.SmmuDriver;
import org.smmulab.driver.alloc.PageAllocator;
import org.smmulab.driver.attach.Master;
import org.smmulab.driver.domain.PagingDomain;
import org.smmulab.driver.pgtable.Prot;
import org.smmulab.driver.queue.QueueListener;
import org.smmulab.driver.smmu.DriverOptions;
import org.smmulab.peer.EduPort;
import org.smmulab.peer.PeerLayout;

class ModelEduTest {
  @Test
  void aFaultingPageMovesNothingZeroesItsPartOfTheBufferAndTheCopyGoesOn() throws Exception {
    try (ModelMachine m = new ModelMachine(1)) {
      List<EventRecord> events = new CopyOnWriteArrayList<>();
      var driver =
          new SmmuDriver(
              m.memory(),
              new PageAllocator(m.memory(), m.allocatorRam()),
              DriverOptions.DEFAULTS,
              new QueueListener() {
                @Override
                public void event(String instance, EventRecord event) {
                  events.add(event);
                }
              });
      var smmu = driver.addInstance("m", m.smmuRegisters(), m.smmuInterrupts());
      ModelEdu edu = (ModelEdu) m.devices().get(0);
      assertThat(edu.streamId()).isEqualTo(0x10);
      Master master = driver.addMaster("edu0", smmu.id(), new int[] {0x10}, null, 0);
      PagingDomain d = driver.newPagingDomain("d", Stage.STAGE_1, Granule.SIZE_4K, 48, 44);
      driver.attach(master, d);
      m.pattern(PeerLayout.SOURCE_BASE, 4096, 3);
      d.map(0x100000, PeerLayout.SOURCE_BASE, 4096, Prot.READ);
      d.map(0x101000, PeerLayout.SINK_BASE, 4096, Prot.READ | Prot.WRITE);

      edu.transfer(false, 0x100ff0, 0, 32);
      byte[] buf = edu.buffer();
      for (int i = 0; i < 16; i++) {
        assertThat(buf[i]).isEqualTo(PeerLayout.patternByte(3, 0xff0 + i));
      }
      assertThat(java.util.Arrays.copyOfRange(buf, 16, 32))
          .as("the second page is the sink, read as it is")
          .containsOnly((byte) 0);

      m.fill(PeerLayout.SINK_BASE, 4096, PeerLayout.SINK_FILL);
      d.unmap(0x101000, 4096);
      d.map(0x102000, PeerLayout.SOURCE_BASE, 4096, Prot.READ);
      edu.transfer(false, 0x101ff8, 100, 16);
      buf = edu.buffer();
      assertThat(java.util.Arrays.copyOfRange(buf, 100, 108))
          .as("zeros for the unmapped page")
          .containsOnly((byte) 0);
      for (int i = 0; i < 8; i++) {
        assertThat(buf[108 + i])
            .as("the next page is read")
            .isEqualTo(PeerLayout.patternByte(3, i));
      }
      smmu.events().poll();
      assertThat(events)
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.inputAddress()).isEqualTo(0x101ff8);
                assertThat(e.rnw()).isTrue();
              });

      edu.transfer(true, 0x100ffc, 100, 8);
      assertThat(m.scan(PeerLayout.SINK_BASE, 4096, PeerLayout.SINK_FILL).count())
          .as("a write to a read-only page moves nothing")
          .isZero();
      smmu.events().poll();
      assertThat(events.subList(1, events.size()))
          .extracting(EventRecord::type, EventRecord::inputAddress)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(EventType.F_PERMISSION, 0x100ffcL),
              org.assertj.core.groups.Tuple.tuple(EventType.F_TRANSLATION, 0x101000L));
    }
  }

  @Test
  void transfersOutsideTheBufferOrTheDmaMaskAreRefused() {
    try (ModelMachine m = new ModelMachine(1)) {
      EduPort edu = m.devices().get(0);
      assertThatThrownBy(() -> edu.transfer(true, 0x1000, 4000, EduPort.BUFFER_LIMIT - 3999))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("buffer range");
      assertThatThrownBy(() -> edu.transfer(true, PeerLayout.IOVA_LIMIT - 4, 0, 8))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("28-bit");
      assertThatThrownBy(() -> edu.transfer(false, 0x1000, 0, 0))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(m.devices()).extracting(EduPort::streamId).isEqualTo(List.of(0x10));
    }
  }
}
