package org.smmulab.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module table of the architecture (section 2): which module may depend on which. The cli
 * module sees every module but {@code bench}, so this is where the table is checked; {@code bench}
 * checks its own outgoing dependencies.
 */
class ModuleDependencyRulesTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importAll() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.smmulab");
  }

  @Test
  void modulesDependOnlyOnWhatTheTableAllows() {
    layeredArchitecture()
        .consideringOnlyDependenciesInAnyPackage("org.smmulab..")
        .withOptionalLayers(true)
        .layer("arch")
        .definedBy("org.smmulab.arch..")
        .layer("hw")
        .definedBy("org.smmulab.hw..")
        .layer("driver")
        .definedBy("org.smmulab.driver..")
        .layer("verify")
        .definedBy("org.smmulab.verify..")
        .layer("peer-qemu")
        .definedBy("org.smmulab.peer..")
        .layer("cli")
        .definedBy("org.smmulab.cli..")
        .layer("bench")
        .definedBy("org.smmulab.bench..")
        .whereLayer("arch")
        .mayNotAccessAnyLayer()
        .whereLayer("hw")
        .mayOnlyAccessLayers("arch")
        .whereLayer("driver")
        .mayOnlyAccessLayers("arch")
        .whereLayer("verify")
        .mayOnlyAccessLayers("arch", "hw", "driver")
        .whereLayer("peer-qemu")
        .mayOnlyAccessLayers("arch", "hw", "driver", "verify")
        .whereLayer("cli")
        .mayOnlyAccessLayers("arch", "hw", "driver", "verify", "peer-qemu")
        .whereLayer("bench")
        .mayNotBeAccessedByAnyLayer()
        .check(classes);
  }

  @Test
  void driverNeverReachesTheHardwareModel() {
    noClasses()
        .that()
        .resideInAPackage("org.smmulab.driver..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.smmulab.hw..")
        .check(classes);
  }

  @Test
  void archHoldsNoThreads() {
    noClasses()
        .that()
        .resideInAPackage("org.smmulab.arch..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("java.util.concurrent..")
        .orShould()
        .dependOnClassesThat()
        .areAssignableTo(Thread.class)
        .check(classes);
  }
}
