package org.smmulab.verify.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.smmulab.arch.bus.BusAbort;
import org.smmulab.arch.cmd.Opcode;
import org.smmulab.driver.SmmuDriver;
import org.smmulab.driver.alloc.AllocatorExhaustedException;
import org.smmulab.driver.alloc.PageAllocator;
import org.smmulab.driver.alloc.RamRange;
import org.smmulab.driver.attach.Master;
import org.smmulab.driver.domain.PagingDomain;
import org.smmulab.driver.invs.Invalidation;
import org.smmulab.driver.invs.InvalidationArray;
import org.smmulab.driver.invs.SmmuId;
import org.smmulab.driver.probe.ProbeException;
import org.smmulab.driver.queue.QueueListener;
import org.smmulab.driver.smmu.DriverOptions;
import org.smmulab.driver.smmu.ResetException;
import org.smmulab.driver.smmu.SmmuDevice;
import org.smmulab.driver.tags.CacheTag;
import org.smmulab.hw.memory.PhysicalMemory;
import org.smmulab.hw.pcie.Endpoint;
import org.smmulab.hw.smmu.Smmu;
import org.smmulab.hw.smmu.observe.SmmuListener;

/**
 * The machine a scenario describes: one physical memory, the SMMU instances of the hardware model,
 * the driver probed on each, the devices connected behind them and the driver's masters for them,
 * and the paging domains. The driver's tables and queues come from [{@link #DRIVER_MEMORY}, {@link
 * #DRIVER_MEMORY_END}); scenario mappings may not use that range.
 *
 * <p>Used by one thread (the runner's); the instances' own command threads are stopped by {@link
 * #close}.
 */
final class ScenarioMachine implements AutoCloseable {
  /** Start of the memory the driver allocates its tables and queues from. */
  static final long DRIVER_MEMORY = 0x4000_0000L;

  /** End (exclusive) of the driver's memory: 256 MiB. */
  static final long DRIVER_MEMORY_END = DRIVER_MEMORY + (256L << 20);

  private static final int PHYSICAL_ADDRESS_BITS = 48;
  private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(5);

  final Scenario scenario;
  final PhysicalMemory memory = new PhysicalMemory(PHYSICAL_ADDRESS_BITS);
  final SmmuDriver driver;
  final Map<String, Smmu> smmus = new LinkedHashMap<>();
  final Map<String, SmmuDevice> instances = new LinkedHashMap<>();
  final Map<String, DeviceSpec> devices = new LinkedHashMap<>();
  final Map<String, Endpoint> endpoints = new LinkedHashMap<>();
  final Map<String, Master> masters = new LinkedHashMap<>();
  final Map<String, PagingDomain> domains = new LinkedHashMap<>();
  private final Map<SmmuId, String> instanceNames = new LinkedHashMap<>();

  /**
   * Builds the machine: instances probed and reset, devices connected, domains made.
   *
   * @throws ScenarioException at the declaration the driver refused
   */
  ScenarioMachine(Scenario scenario, QueueListener queues, SmmuListener trace)
      throws ScenarioException {
    this.scenario = scenario;
    PageAllocator allocator =
        new PageAllocator(
            memory, List.of(new RamRange(DRIVER_MEMORY, DRIVER_MEMORY_END - DRIVER_MEMORY)));
    DriverOptions options =
        new DriverOptions(
            12, 10, SYNC_TIMEOUT, scenario.driver().asidSpace(), scenario.driver().injections());
    driver = new SmmuDriver(memory, allocator, options, queues);
    try {
      build(trace);
    } catch (ScenarioException | RuntimeException e) {
      close();
      throw e;
    }
  }

  private void build(SmmuListener trace) throws ScenarioException {
    for (InstanceSpec spec : scenario.instances()) {
      Smmu smmu = new Smmu(spec.name(), spec.config(), memory);
      smmus.put(spec.name(), smmu);
      smmu.setListener(trace);
      try {
        SmmuDevice device = driver.addInstance(spec.name(), smmu.registers(), smmu.interrupts());
        instances.put(spec.name(), device);
        instanceNames.put(device.id(), spec.name());
      } catch (ProbeException | ResetException | AllocatorExhaustedException | BusAbort e) {
        throw new ScenarioException(
            spec.at(),
            "the driver cannot bring up instance " + spec.name() + ": " + e.getMessage());
      }
    }
    long seed = 1;
    for (DeviceSpec spec : scenario.devices()) {
      Smmu smmu = smmus.get(spec.instance());
      int[] sids = spec.streamIds().stream().mapToInt(Integer::intValue).toArray();
      Endpoint ep =
          spec.ats()
              ? Endpoint.withAts(spec.name(), memory, smmu, spec.atcEntries(), seed++, sids)
              : Endpoint.withoutAts(spec.name(), memory, smmu, sids);
      smmu.connect(ep);
      try {
        Master master =
            driver.addMaster(
                spec.name(),
                instances.get(spec.instance()).id(),
                sids,
                spec.ats() ? ep : null,
                spec.ssidBits());
        masters.put(spec.name(), master);
      } catch (AllocatorExhaustedException | BusAbort | IllegalArgumentException e) {
        throw new ScenarioException(
            spec.at(), "the driver cannot add device " + spec.name() + ": " + e.getMessage());
      }
      devices.put(spec.name(), spec);
      endpoints.put(spec.name(), ep);
    }
    for (DomainSpec spec : scenario.domains()) {
      try {
        domains.put(
            spec.name(),
            driver.newPagingDomain(
                spec.name(), spec.stage(), spec.granule(), spec.ias(), spec.oas()));
      } catch (AllocatorExhaustedException | BusAbort | IllegalArgumentException e) {
        throw new ScenarioException(
            spec.at(), "the driver cannot make domain " + spec.name() + ": " + e.getMessage());
      }
    }
  }

  /** The scenario name of a driver instance id. */
  String instanceName(SmmuId id) {
    return instanceNames.get(id);
  }

  /** The live tags of every instance, by instance, each sorted by type and id. */
  Map<String, List<TagInfo>> tags() {
    Map<String, List<TagInfo>> out = new LinkedHashMap<>();
    driver.tagLock().lock();
    try {
      for (Map.Entry<String, SmmuDevice> e : instances.entrySet()) {
        List<TagInfo> tags = new ArrayList<>();
        for (PagingDomain domain : domains.values()) {
          CacheTag tag = driver.tagOf(domain, e.getValue().id());
          if (tag != null) {
            tags.add(new TagInfo(e.getKey(), tag.type(), tag.id(), domain.name(), tag.users()));
          }
        }
        tags.sort(Comparator.comparing(TagInfo::type).thenComparingInt(TagInfo::id));
        out.put(e.getKey(), List.copyOf(tags));
      }
    } finally {
      driver.tagLock().unlock();
    }
    return out;
  }

  /** Every slot of every domain's current invalidation array, by domain. */
  Map<String, List<ArrayEntry>> arrays() {
    Map<String, List<ArrayEntry>> out = new LinkedHashMap<>();
    driver.tagLock().lock();
    try {
      for (PagingDomain domain : domains.values()) {
        InvalidationArray invs = domain.invalidations().get();
        List<ArrayEntry> entries = new ArrayList<>(invs.numInvs());
        for (int i = 0; i < invs.numInvs(); i++) {
          Invalidation e = invs.entry(i);
          entries.add(
              new ArrayEntry(
                  instanceName(e.smmu()),
                  e.type(),
                  Integer.toUnsignedLong(e.id()),
                  e.ssid(),
                  e.users()));
        }
        out.put(domain.name(), List.copyOf(entries));
      }
    } finally {
      driver.tagLock().unlock();
    }
    return out;
  }

  /** Per instance, the commands consumed since it was made, by opcode in opcode order. */
  Map<String, Map<String, Long>> commandCounts() {
    Map<String, Map<String, Long>> out = new LinkedHashMap<>();
    for (Map.Entry<String, Smmu> e : smmus.entrySet()) {
      Map<String, Long> byOpcode = e.getValue().statistics().commandsByOpcode();
      Map<String, Long> ordered = new LinkedHashMap<>();
      for (Opcode op : Opcode.values()) {
        Long n = byOpcode.get(op.specName());
        if (n != null && n != 0) {
          ordered.put(op.specName(), n);
        }
      }
      out.put(e.getKey(), ordered);
    }
    return out;
  }

  /** {@code after - before} per instance and opcode, keeping only non-zero counts. */
  static Map<String, Map<String, Long>> difference(
      Map<String, Map<String, Long>> after, Map<String, Map<String, Long>> before) {
    Map<String, Map<String, Long>> out = new LinkedHashMap<>();
    for (Map.Entry<String, Map<String, Long>> e : after.entrySet()) {
      Map<String, Long> earlier = before.getOrDefault(e.getKey(), Map.of());
      Map<String, Long> diff = new LinkedHashMap<>();
      e.getValue()
          .forEach(
              (op, n) -> {
                long d = n - earlier.getOrDefault(op, 0L);
                if (d != 0) {
                  diff.put(op, d);
                }
              });
      if (!diff.isEmpty()) {
        out.put(e.getKey(), diff);
      }
    }
    return out;
  }

  /** Stops every instance's command thread. */
  @Override
  public void close() {
    for (Smmu smmu : smmus.values()) {
      smmu.close();
    }
  }
}
