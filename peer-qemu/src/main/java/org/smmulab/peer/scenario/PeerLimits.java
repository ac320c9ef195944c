package org.smmulab.peer.scenario;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.smmulab.arch.pte.Stage;
import org.smmulab.driver.inject.Injection;
import org.smmulab.hw.smmu.SmmuPresets;
import org.smmulab.peer.EduPort;
import org.smmulab.peer.PeerLayout;
import org.smmulab.peer.model.ModelMachine;
import org.smmulab.verify.scenario.DeviceSpec;
import org.smmulab.verify.scenario.DomainSpec;
import org.smmulab.verify.scenario.InstanceSpec;
import org.smmulab.verify.scenario.Numbers;
import org.smmulab.verify.scenario.Position;
import org.smmulab.verify.scenario.Scenario;
import org.smmulab.verify.scenario.ScenarioException;

/**
 * What a scenario may ask of the QEMU peer, checked at the node that asks: one SMMU instance of
 * preset {@code qemu-like} as it is, at most {@value #MAX_DEVICES} devices without ATS or
 * SubstreamIDs and with one StreamID each, stage-1 domains, IOVAs below {@link
 * PeerLayout#IOVA_LIMIT}, physical addresses in {@code [}{@link PeerLayout#SCENARIO_BASE}, {@link
 * PeerLayout#SCENARIO_END}{@code )}, copies edu can make, and driver injections the peer can show.
 * Each refusal is a {@link ScenarioException} whose message says what the peer cannot do and why.
 *
 * <p>Stateless.
 */
final class PeerLimits {
  /** The most edu devices a scenario run starts (as many as a seeded run uses). */
  static final int MAX_DEVICES = 3;

  /** The preset the model side of the peer uses. */
  static final String PRESET = "qemu-like";

  private PeerLimits() {}

  /** The StreamID QEMU gives edu device {@code index}: its devfn on bus 0. */
  static int eduStreamId(int index) {
    return (ModelMachine.FIRST_EDU_DEVICE + index) << 3;
  }

  static void checkInjections(Scenario s) throws ScenarioException {
    if (s.driver().injections().contains(Injection.SKIP_ATC_INV)) {
      Position at =
          s.driver().injectedAt().getOrDefault(Injection.SKIP_ATC_INV, s.instances().get(0).at());
      throw new ScenarioException(
          at,
          "inject skip-atc-inv does nothing on the QEMU peer: neither QEMU's SMMUv3 nor edu has"
              + " ATS, so there is no ATC_INV to skip");
    }
  }

  static void checkInstances(List<InstanceSpec> instances) throws ScenarioException {
    if (instances.size() > 1) {
      InstanceSpec second = instances.get(1);
      throw new ScenarioException(
          second.at(),
          "the QEMU peer has one SMMU instance; instance "
              + second.name()
              + " is a second one (declare one instance, preset "
              + PRESET
              + ")");
    }
    InstanceSpec only = instances.get(0);
    if (!only.preset().equals(PRESET)) {
      throw new ScenarioException(
          only.at(),
          "instance "
              + only.name()
              + " is preset "
              + only.preset()
              + ", but the QEMU peer compares QEMU's SMMUv3 with the model configured like it:"
              + " write 'preset: "
              + PRESET
              + "' without overrides");
    }
    List<String> changed = differences(SmmuPresets.qemuLike(), only.config(), "");
    if (!changed.isEmpty()) {
      throw new ScenarioException(
          only.at(),
          "instance "
              + only.name()
              + " overrides preset "
              + PRESET
              + " ("
              + String.join(", ", changed)
              + "), but the QEMU peer's model is the preset as it is, configured like QEMU: drop"
              + " the overrides");
    }
  }

  /** The record components in which {@code a} and {@code b} differ, nested ones dotted. */
  private static List<String> differences(Record a, Record b, String prefix) {
    List<String> out = new ArrayList<>();
    for (RecordComponent c : a.getClass().getRecordComponents()) {
      Object x = value(c, a);
      Object y = value(c, b);
      if (x instanceof Record rx && y instanceof Record ry) {
        out.addAll(differences(rx, ry, prefix + c.getName() + "."));
      } else if (!Objects.equals(x, y)) {
        out.add(prefix + c.getName());
      }
    }
    return out;
  }

  private static Object value(RecordComponent c, Record r) {
    try {
      return c.getAccessor().invoke(r);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot read " + c.getName() + " of " + r, e);
    }
  }

  static void checkDevice(DeviceSpec d, int index) throws ScenarioException {
    if (index >= MAX_DEVICES) {
      throw new ScenarioException(
          d.at(),
          "the QEMU peer starts at most "
              + MAX_DEVICES
              + " edu devices; device "
              + d.name()
              + " is device "
              + (index + 1));
    }
    if (d.ats()) {
      throw new ScenarioException(
          d.at(), "device " + d.name() + " has ATS, but neither QEMU's SMMUv3 nor edu supports it");
    }
    if (d.ssidBits() > 0) {
      throw new ScenarioException(
          d.at(),
          "device "
              + d.name()
              + " has SubstreamIDs (ssid-bits "
              + d.ssidBits()
              + "), but on the QEMU peer no device sends a SubstreamID: edu has no PASID");
    }
    if (d.streamIds().size() > 1) {
      throw new ScenarioException(
          d.at(),
          "device "
              + d.name()
              + " has "
              + d.streamIds().size()
              + " StreamIDs, but an edu device has one, its devfn (edu"
              + index
              + ": 0x"
              + Integer.toHexString(eduStreamId(index))
              + ")");
    }
  }

  static void checkDomain(DomainSpec d) throws ScenarioException {
    if (d.stage() != Stage.STAGE_1) {
      throw new ScenarioException(
          d.at(),
          "domain "
              + d.name()
              + " is a stage-2 domain, but QEMU's SMMUv3 here implements stage 1 only");
    }
  }

  static void checkPasid(Position at, int pasid) throws ScenarioException {
    if (pasid != 0) {
      throw new ScenarioException(
          at, "PASID " + pasid + ": on the QEMU peer no device sends a SubstreamID");
    }
  }

  static void checkIovaRange(Position at, long iova, long size) throws ScenarioException {
    if (iova >= PeerLayout.IOVA_LIMIT || size > PeerLayout.IOVA_LIMIT - iova) {
      throw new ScenarioException(
          at,
          String.format(
              "IOVA range [0x%x, +%s) reaches 0x%x: edu's DMA addresses have 28 bits, so the QEMU"
                  + " peer uses IOVAs below 256 MiB only",
              iova, Numbers.size(size), PeerLayout.IOVA_LIMIT));
    }
  }

  static void checkPhysicalRange(Position at, long pa, long size) throws ScenarioException {
    if (pa < PeerLayout.SCENARIO_BASE
        || pa >= PeerLayout.SCENARIO_END
        || size > PeerLayout.SCENARIO_END - pa) {
      throw new ScenarioException(
          at,
          String.format(
              "pa range [0x%x, +%s) is outside [0x%x, 0x%x), the part of the QEMU peer's RAM"
                  + " that scenarios may map (clear of the guest stub and the driver's tables)",
              pa, Numbers.size(size), PeerLayout.SCENARIO_BASE, PeerLayout.SCENARIO_END));
    }
  }

  static void checkCopy(Position at, int size) throws ScenarioException {
    if (size > EduPort.BUFFER_LIMIT) {
      throw new ScenarioException(
          at,
          "a DMA of "
              + size
              + " bytes is longer than edu can copy: at most "
              + EduPort.BUFFER_LIMIT
              + " bytes, since a copy must end inside its 4 KiB buffer");
    }
  }

  static void checkObservedBytes(Position at, long bytes, long limit) throws ScenarioException {
    if (bytes > limit) {
      throw new ScenarioException(
          at,
          "with this map the scenario maps "
              + Numbers.size(bytes)
              + " of physical memory, more than the "
              + Numbers.size(limit)
              + " the QEMU peer prepares and measures around every DMA");
    }
  }
}
