package org.smmulab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed scenario files, one per kind of error: YAML syntax, unknown key, unknown step, wrong
 * type, unknown name, impossible value. Each must exit 2 with exactly one line on stderr, {@code
 * FILE:LINE:COLUMN: message} pointing at the offending text, and nothing on stdout.
 */
class ScenarioErrorsTest {
  private static final String MACHINE =
      """
      instances:
        - {name: smmu0, preset: minimal-s1}
      devices:
        - {name: nic, instance: smmu0, sid: 0x10}
      domains:
        - {name: d1}
      """;

  @TempDir Path dir;

  static Stream<Arguments> malformed() {
    return Stream.of(
        // YAML syntax
        Arguments.of(
            "syntax: an unclosed flow mapping, seen where the next key starts",
            "instances:\n  - {name: smmu0\nsteps:\n  - show: tags\n",
            "3:6: YAML syntax error: expected ',' or '}', but got : (while parsing a flow mapping)"),
        Arguments.of(
            "syntax: a tab used for indentation",
            "instances:\n  - {name: smmu0}\nsteps:\n  - show: tags\n\t- show: tags\n",
            "5:1: YAML syntax error: found character '\\t(TAB)' that cannot start any token."
                + " (Do not use \\t(TAB) for indentation) (while scanning for the next token)"),
        Arguments.of(
            "syntax: a duplicate key",
            "instances:\n  - {name: smmu0}\nsteps:\n  - show: tags\nsteps: []\n",
            "5:1: duplicate key 'steps' in the scenario (first at line 3)"),
        Arguments.of(
            "syntax: an empty file",
            "",
            "1:1: the file is empty; expected a mapping with" + " 'instances' and 'steps'"),
        // unknown key
        Arguments.of(
            "unknown key in a device",
            "instances:\n  - {name: smmu0}\ndevices:\n  - {name: nic, instance: smmu0, sid: 1,"
                + " atss: true}\nsteps:\n  - show: tags\n",
            "4:42: unknown key 'atss' in a device; expected one of: name, instance, sid, ats,"
                + " atc-entries, ssid-bits, count (did you mean 'ats'?)"),
        Arguments.of(
            "unknown key at the top",
            "instances:\n  - {name: smmu0}\nstep:\n  - show: tags\n",
            "3:1: unknown key 'step' in the scenario; expected one of: scenario, description,"
                + " driver, instances, devices, domains, steps (did you mean 'steps'?)"),
        Arguments.of(
            "unknown key in a step's arguments",
            MACHINE + "steps:\n  - map: {domain: d1, iova: 0x1000, pa: 0x80000000, length: 4K}\n",
            "8:53: unknown key 'length' in map; expected one of: domain, iova, pa, size, prot,"
                + " expect"),
        // unknown step
        Arguments.of(
            "unknown step",
            MACHINE + "steps:\n  - show: tags\n  - mapp: {domain: d1, iova: 0x1000}\n",
            "9:5: unknown step 'mapp'; expected one of: attach, detach, map, unmap, dma, expect,"
                + " show, repeat (did you mean 'map'?)"),
        Arguments.of(
            "arguments beside the step instead of under it",
            MACHINE + "steps:\n  - attach:\n    device: nic\n    domain: d1\n",
            "9:5: a step is one operation, found 'device' beside 'attach'; write the arguments"
                + " under it, as in 'attach: {...}'"),
        // wrong type
        Arguments.of(
            "wrong type: text for a boolean",
            "instances:\n  - {name: smmu0}\ndevices:\n  - {name: nic, instance: smmu0, sid: 0x10,"
                + " ats: yes-please}\nsteps:\n  - show: tags\n",
            "4:50: 'ats' must be true or false, found 'yes-please'"),
        Arguments.of(
            "wrong type: a list for a number",
            MACHINE + "steps:\n  - unmap: {domain: d1, iova: [0x1000], size: 4K}\n",
            "8:31: 'iova' must be a number, found a list"),
        Arguments.of(
            "wrong type: text for a number",
            MACHINE + "steps:\n  - dma: {device: nic, iova: 0x10zz}\n",
            "8:30: 'iova' must be a number (decimal or 0x hex), found '0x10zz'"),
        Arguments.of(
            "wrong type: a mapping for the step list",
            "instances:\n  - {name: smmu0}\nsteps: {show: tags}\n",
            "3:8: 'steps' must be a list, found a mapping"),
        // unknown name
        Arguments.of(
            "unknown domain",
            MACHINE + "steps:\n  - attach: {device: nic, domain: d2}\n",
            "8:35: unknown domain 'd2' in 'domain' of attach; declared domains: d1 (did you mean"
                + " 'd1'?)"),
        Arguments.of(
            "unknown device",
            MACHINE + "steps:\n  - detach: gpu\n",
            "8:13: unknown device 'gpu' in detach; declared devices: nic"),
        Arguments.of(
            "unknown opcode",
            MACHINE
                + "steps:\n  - detach: nic\n  - expect: {commands: {smmu0: {TLBI_NH_VAX: 1}}}\n",
            "9:33: unknown opcode 'TLBI_NH_VAX' in the commands of smmu0 (did you mean"
                + " 'TLBI_NH_VA'?)"),
        Arguments.of(
            "unknown event type",
            MACHINE + "steps:\n  - dma: {device: nic, iova: 0, expect: {fault: F_TRANSLATE}}\n",
            "8:49: 'fault' must be one of F_UUT, C_BAD_STREAMID, F_STE_FETCH, C_BAD_STE,"
                + " F_BAD_ATS_TREQ, F_STREAM_DISABLED, F_TRANSL_FORBIDDEN, C_BAD_SUBSTREAMID,"
                + " F_CD_FETCH, C_BAD_CD, F_WALK_EABT, F_TRANSLATION, F_ADDR_SIZE, F_ACCESS,"
                + " F_PERMISSION, F_TLB_CONFLICT, F_CFG_CONFLICT, E_PAGE_REQUEST, F_VMS_FETCH,"
                + " unrecorded, found 'F_TRANSLATE' (did you mean 'F_TRANSLATION'?)"),
        // impossible value
        Arguments.of(
            "a device on an instance that does not exist",
            "instances:\n  - {name: smmu0}\ndevices:\n  - {name: nic, instance: smmu9, sid: 0x10}\n"
                + "steps:\n  - show: tags\n",
            "4:27: unknown instance 'smmu9' in 'instance' of device nic; declared instances: smmu0"
                + " (did you mean 'smmu0'?)"),
        Arguments.of(
            "a size that is not a multiple of the granule",
            "instances:\n  - {name: smmu0}\ndomains:\n  - {name: d1, granule: 16K}\nsteps:\n"
                + "  - map:\n      domain: d1\n      iova: 0x4000\n      pa: 0x80000000\n"
                + "      size: 4K\n",
            "10:13: size 4K is not a multiple of the 16K granule of domain d1"),
        Arguments.of(
            "an iova that is not aligned to the granule",
            MACHINE + "steps:\n  - map: {domain: d1, iova: 0x1800, pa: 0x80000000, size: 4K}\n",
            "8:29: iova 0x1800 is not aligned to the 4K granule of domain d1"),
        Arguments.of(
            "a range beyond the domain's input size",
            "instances:\n  - {name: smmu0}\ndomains:\n  - {name: d1, ias: 32}\nsteps:\n"
                + "  - unmap: {domain: d1, iova: 0xfffff000, size: 8K}\n",
            "6:31: [0xfffff000, +8K) does not fit the 32-bit input addresses of domain d1"),
        Arguments.of(
            "a physical range inside the driver's memory",
            MACHINE + "steps:\n  - map: {domain: d1, iova: 0x1000, pa: 0x40001000, size: 4K}\n",
            "8:41: [0x40001000, +4K) overlaps [0x40000000, 0x50000000), the memory the driver's"
                + " tables and queues live in"),
        Arguments.of(
            "a StreamID wider than the instance's",
            "instances:\n  - {name: smmu0, preset: minimal-s1}\ndevices:\n"
                + "  - {name: nic, instance: smmu0, sid: 0x100}\nsteps:\n  - show: tags\n",
            "4:39: StreamID 0x100 of device nic does not fit the 8-bit StreamIDs of smmu0"),
        Arguments.of(
            "two devices with one StreamID",
            "instances:\n  - {name: smmu0}\ndevices:\n  - {name: a, instance: smmu0, sid: 7}\n"
                + "  - {name: b, instance: smmu0, sid: [8, 7]}\nsteps:\n  - show: tags\n",
            "5:41: StreamID 0x7 of device b already belongs to a on smmu0"),
        Arguments.of(
            "a name declared twice",
            MACHINE + "  - {name: d1, stage: 2}\nsteps:\n  - show: tags\n",
            "7:5: domain d1 is declared twice"),
        Arguments.of(
            "a DMA that crosses a page",
            MACHINE + "steps:\n  - dma: {device: nic, iova: 0xffc, size: 8}\n",
            "8:43: a DMA stays within one 4K page, but 8 bytes from 0xffc cross into the next"),
        Arguments.of(
            "a PASID on a device without SubstreamIDs",
            MACHINE + "steps:\n  - attach: {device: nic, pasid: 1, domain: d1}\n",
            "8:34: device nic has no SubstreamIDs (its 'ssid-bits' is 0)"),
        Arguments.of(
            "an output size the architecture does not have",
            "instances:\n  - {name: smmu0, oas: 41}\nsteps:\n  - show: tags\n",
            "2:24: 'oas' must be one of 32, 36, 40, 42, 44, 48, 52, found '41'"),
        Arguments.of(
            "an instance with neither stage",
            "instances:\n  - {name: smmu0, stage1: false, stage2: false}\nsteps:\n  - show: tags\n",
            "2:5: instance smmu0 is impossible: an SMMU needs stage 1, stage 2 or both"),
        Arguments.of(
            "an error an operation cannot fail with",
            MACHINE
                + "steps:\n  - map: {domain: d1, iova: 0, pa: 0x80000000, size: 4K,"
                + " expect: {error: tag-exhausted}}\n",
            "8:74: 'error' of map must be one of already-mapped, out-of-memory, found"
                + " 'tag-exhausted'"),
        Arguments.of(
            "commands expected before any operation",
            "instances:\n  - {name: smmu0}\nsteps:\n  - expect: {commands: {smmu0: {CMD_SYNC: 1}}}\n",
            "4:14: 'commands' counts the commands of the last attach, detach, map or unmap, and"
                + " there is none before this step"),
        Arguments.of(
            "a tag type that does not match the domain's stage",
            MACHINE + "steps:\n  - expect: {tags: {smmu0: [{domain: d1, type: S2_VMID}]}}\n",
            "8:48: domain d1 is a stage-1 domain; its tags are S1_ASID"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void isOneLineAtTheOffendingText(String what, String content, String expected)
      throws IOException {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, content);
    Cli r = Cli.run("run", file.toString());
    assertThat(r.exitCode).isEqualTo(2);
    assertThat(r.out).isEmpty();
    assertThat(r.errLines()).containsExactly(file + ":" + expected);
  }
}
