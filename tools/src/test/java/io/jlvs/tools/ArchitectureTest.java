package io.jlvs.tools;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.GeneralCodingRules.ACCESS_STANDARD_STREAMS;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module graph, checked on the compiled classes: no cycle between packages, and each module's packages use only
 * the modules below it. Maven already refuses a cycle between modules; this also catches package cycles inside a
 * module and keeps the layering documented in docs/DESIGN.md true.
 */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importProductionClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages("io.jlvs");
    }

    @Test
    void noPackageCycles() {
        slices().matching("io.jlvs.(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void theCycleRuleFailsOnADeliberateCycle() {
        JavaClasses fixture = new ClassFileImporter().importPackages("io.jlvs.tools.cyclefixture");
        assertThrows(AssertionError.class,
                () -> slices().matching("io.jlvs.(**)").should().beFreeOfCycles().check(fixture));
    }

    @Test
    void eachModuleUsesOnlyTheModulesBelowIt() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("packets").definedBy("io.jlvs.packets..")
                .layer("schedulers").definedBy("io.jlvs.schedulers..")
                .layer("connections").definedBy("io.jlvs.connections..")
                .layer("platform").definedBy("io.jlvs.platform..")
                .layer("control").definedBy("io.jlvs.control..")
                .layer("forwarder").definedBy("io.jlvs.forwarder..")
                .layer("health").definedBy("io.jlvs.health..")
                .layer("failover").definedBy("io.jlvs.failover..")
                .layer("console").definedBy("io.jlvs.console..")
                .layer("layer7").definedBy("io.jlvs.layer7..")
                .layer("announce").definedBy("io.jlvs.announce..")
                .layer("daemon").definedBy("io.jlvs.daemon..")
                .layer("realserver").definedBy("io.jlvs.realserver..")
                .layer("tools").definedBy("io.jlvs.tools..")
                .whereLayer("tools").mayNotBeAccessedByAnyLayer()
                .whereLayer("daemon").mayOnlyBeAccessedByLayers("tools")
                .whereLayer("realserver").mayOnlyBeAccessedByLayers("tools")
                .whereLayer("failover").mayOnlyBeAccessedByLayers("daemon", "tools")
                .whereLayer("console").mayOnlyBeAccessedByLayers("daemon", "tools")
                .whereLayer("layer7").mayOnlyBeAccessedByLayers("daemon", "tools")
                .whereLayer("announce").mayOnlyBeAccessedByLayers("daemon", "tools")
                .whereLayer("health").mayOnlyBeAccessedByLayers("failover", "daemon", "tools")
                .whereLayer("forwarder").mayOnlyBeAccessedByLayers("daemon", "tools")
                .whereLayer("control").mayOnlyBeAccessedByLayers("forwarder", "health", "failover", "console", "layer7", "announce",
                        "daemon", "tools")
                .whereLayer("platform").mayOnlyBeAccessedByLayers("forwarder", "health", "failover", "layer7", "announce", "daemon",
                        "realserver", "tools")
                .whereLayer("connections").mayOnlyBeAccessedByLayers("forwarder", "failover", "daemon", "tools")
                .whereLayer("schedulers").mayOnlyBeAccessedByLayers("forwarder", "daemon", "tools")
                .check(classes);
    }

    /** Only command-line programs (jlvsadm, the jlvs commands, realserver's report) write to stdout or stderr. */
    @Test
    void theDirectorLogsThroughSlf4jNeverTheStandardStreams() {
        noClasses().that().resideInAnyPackage("io.jlvs.packets..", "io.jlvs.schedulers..", "io.jlvs.connections..",
                        "io.jlvs.platform..", "io.jlvs.forwarder..", "io.jlvs.health..", "io.jlvs.failover..",
                        "io.jlvs.console..", "io.jlvs.layer7..", "io.jlvs.announce..", "io.jlvs.daemon..")
                .should(ACCESS_STANDARD_STREAMS).check(classes);
    }
}
