package org.smmulab.bench;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The bench row of the module table: benchmarks may use arch, hw, driver and verify, never the CLI
 * or the QEMU peer. (That nothing depends on bench is checked where every other module is visible.)
 */
class BenchDependencyRulesTest {
  @Test
  void benchUsesOnlyTheLibraryModules() {
    JavaClasses classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.smmulab");
    noClasses()
        .that()
        .resideInAPackage("org.smmulab.bench..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.smmulab.cli..", "org.smmulab.peer..")
        .allowEmptyShould(false)
        .check(classes);
  }
}
