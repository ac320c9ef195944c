package org.smmulab.verify.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every {@code yaml} block of {@code docs/scenarios.md} is a complete scenario that runs green. */
class DocumentedScenariosTest {
  private static final Pattern BLOCK = Pattern.compile("(?ms)^```yaml\\R(.*?)^```");

  @TestFactory
  List<DynamicTest> everyExampleInTheFormatDescriptionRunsGreen() throws IOException {
    Path doc = ExamplesTest.examples().resolveSibling("docs").resolve("scenarios.md");
    String text = Files.readString(doc);
    List<DynamicTest> tests = new ArrayList<>();
    Matcher m = BLOCK.matcher(text);
    while (m.find()) {
      String yaml = m.group(1);
      int line = (int) text.substring(0, m.start()).lines().count() + 2;
      String name = "scenarios.md line " + line;
      tests.add(
          DynamicTest.dynamicTest(
              name,
              () -> {
                ScenarioResult r = new ScenarioRunner(ScenarioLoader.parse(yaml, name)).run();
                List<String> failed = new ArrayList<>();
                for (StepResult s : r.steps()) {
                  if (!s.ok()) {
                    failed.add(
                        "#"
                            + s.index()
                            + " "
                            + s.step().describe()
                            + ": "
                            + s.message()
                            + " "
                            + s.checks());
                  }
                }
                assertThat(failed).isEmpty();
                assertThat(r.violations()).isEmpty();
              }));
    }
    assertThat(tests).as("one per step and a few more").hasSizeGreaterThanOrEqualTo(11);
    return tests;
  }
}
