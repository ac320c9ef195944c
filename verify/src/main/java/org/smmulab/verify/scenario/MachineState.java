package org.smmulab.verify.scenario;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.smmulab.arch.bus.BusAbort;
import org.smmulab.arch.cd.Cd;
import org.smmulab.arch.ste.Ste;
import org.smmulab.driver.attach.Master;
import org.smmulab.driver.domain.PagingDomain;
import org.smmulab.driver.tags.CacheTags;

/**
 * Everything an operation that fails must leave as it was: the tags and tag counts of every
 * instance, every slot of every invalidation array, every page table's leaves, what each device is
 * attached to and whether it uses ATS, every device's STEs and CDs, and the number of commands each
 * instance has consumed.
 *
 * @param tags per instance, its live tags
 * @param usage per instance, its ASID and VMID counts
 * @param arrays per domain, its array slots
 * @param leaves per domain, its page table's leaves
 * @param attachments per device, its domain and ATS state
 * @param entries per device, its STEs and the CDs of SubstreamID 0 and of the given PASIDs
 * @param commands per instance, commands consumed since it was made
 */
record MachineState(
    Map<String, List<TagInfo>> tags,
    Map<String, CacheTags.TagUsage> usage,
    Map<String, List<ArrayEntry>> arrays,
    Map<String, List<String>> leaves,
    Map<String, String> attachments,
    Map<String, List<String>> entries,
    Map<String, Long> commands) {

  /**
   * Captures the state of {@code m}.
   *
   * @param pasids per device, the SubstreamIDs whose CDs to capture besides 0
   */
  static MachineState capture(ScenarioMachine m, Map<String, Set<Integer>> pasids) throws BusAbort {
    Map<String, CacheTags.TagUsage> usage = new LinkedHashMap<>();
    Map<String, Long> commands = new LinkedHashMap<>();
    m.instances.forEach(
        (name, device) -> {
          usage.put(name, m.driver.tagUsage(device.id()));
          commands.put(name, m.smmus.get(name).statistics().commands());
        });
    Map<String, List<String>> leaves = new LinkedHashMap<>();
    for (PagingDomain domain : m.domains.values()) {
      List<String> list = new ArrayList<>();
      domain
          .table()
          .walk(
              leaf ->
                  list.add(
                      String.format(
                          "0x%x+0x%x:0x%x", leaf.iova(), leaf.size(), leaf.descriptor())));
      leaves.put(domain.name(), list);
    }
    Map<String, String> attachments = new LinkedHashMap<>();
    Map<String, List<String>> entries = new LinkedHashMap<>();
    for (Map.Entry<String, Master> e : m.masters.entrySet()) {
      String name = e.getKey();
      Master master = e.getValue();
      attachments.put(
          name, m.driver.domainOf(master).name() + (m.driver.atsEnabled(master) ? " ATS" : ""));
      var device = m.instances.get(m.devices.get(name).instance());
      Set<Integer> ssids = new TreeSet<>(pasids.getOrDefault(name, Set.of()));
      ssids.add(0);
      List<String> images = new ArrayList<>();
      for (int sid : master.streamIds()) {
        Ste ste = EntryReader.ste(m.memory, device.streamTable().steAddress(sid));
        images.add(String.format("sid 0x%x: %s", sid, ste));
        for (int ssid : ssids) {
          Cd cd = EntryReader.cd(m.memory, ste, ssid);
          images.add(String.format("sid 0x%x ssid %d: %s", sid, ssid, cd));
        }
      }
      entries.put(name, images);
    }
    return new MachineState(m.tags(), usage, m.arrays(), leaves, attachments, entries, commands);
  }

  /** What differs in {@code after}, in a few words, or {@code null} when nothing does. */
  String difference(MachineState after) {
    String d = first("the tags of", tags, after.tags);
    d = d != null ? d : first("the tag counts of", usage, after.usage);
    d = d != null ? d : first("the invalidation array of", arrays, after.arrays);
    d = d != null ? d : first("the page table of", leaves, after.leaves);
    d = d != null ? d : first("the attachment of", attachments, after.attachments);
    d = d != null ? d : first("the STE or CD of", entries, after.entries);
    return d != null ? d : first("the commands consumed by", commands, after.commands);
  }

  private static <V> String first(String what, Map<String, V> before, Map<String, V> after) {
    for (Map.Entry<String, V> e : before.entrySet()) {
      V later = after.get(e.getKey());
      if (!Objects.equals(e.getValue(), later)) {
        return what + " " + e.getKey() + " changed from " + e.getValue() + " to " + later;
      }
    }
    return null;
  }
}
