package io.wscluster.loadtest;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The load tool's packages depend one way: the entry point on {@code run}, {@code run} on {@code client},
 * {@code report} and {@code measure}, nothing back (the rule the application's modules obey too).
 */
class ArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.wscluster.loadtest");

    @Test
    void theToolIsImported() {
        assertTrue(CLASSES.contain("io.wscluster.loadtest.run.Coordinator"));
    }

    @Test
    void noCyclesBetweenPackages() {
        slices().matching("io.wscluster.loadtest.(**)").should().beFreeOfCycles().check(CLASSES);
    }
}
