package org.mmtune;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMethods;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The layers: the paper's stages (core) never depend on JavaFX, on the UI or on the command line; the UI
 * sits on top of the core and reaches it through view models and core services, never through the command
 * line, the trainer's or network's internals, or DJL; only the {@link Launcher} starts the command line; and
 * no two top-level packages depend on each other in a circle.
 */
class ArchitectureTest {

    private static final String[] CORE = {
        "org.mmtune.data..", "org.mmtune.mix..", "org.mmtune.match..", "org.mmtune.nn..",
        "org.mmtune.train..", "org.mmtune.eval..", "org.mmtune.experiment..", "org.mmtune.util.."
    };

    // imported once for all rules (JUnit makes a new instance per test)
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.mmtune");

    @Test
    void corePackagesNeverUseJavaFx() {
        noClasses().that().resideInAnyPackage(CORE)
                .should().dependOnClassesThat().resideInAnyPackage("javafx..", "org.controlsfx..", "org.jfree.chart.fx..")
                .because("the pipeline must run headless and the UI sits on top of it")
                .check(CLASSES);
    }

    @Test
    void corePackagesNeverUseTheUiOrTheCommandLine() {
        noClasses().that().resideInAnyPackage(CORE)
                .should().dependOnClassesThat().resideInAnyPackage("org.mmtune.ui..", "org.mmtune.cli..")
                .because("the command line and the workbench both call the same core code")
                .check(CLASSES);
    }

    @Test
    void theUiUsesNeitherTheCommandLineNorTheTrainerNorTheNetworkNorDjl() {
        noClasses().that().resideInAPackage("org.mmtune.ui..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.mmtune.cli..", "org.mmtune.train..", "org.mmtune.nn..", "ai.djl..")
                .because("views talk to the core through view models and core services (experiment, eval, ...)")
                .check(CLASSES);
    }

    @Test
    void onlyTheLauncherStartsTheCommandLine() {
        noClasses().that().resideOutsideOfPackage("org.mmtune.cli..")
                .and().doNotHaveFullyQualifiedName(Launcher.class.getName())
                .should().dependOnClassesThat().resideInAPackage("org.mmtune.cli..")
                .because("the command line is the outermost layer")
                .check(CLASSES);
    }

    @Test
    void viewsNeverUseTheHarness() {
        noClasses().that().resideInAnyPackage("org.mmtune.ui.common..", "org.mmtune.ui.dataset..", "org.mmtune.ui.mix..",
                        "org.mmtune.ui.match..", "org.mmtune.ui.train..", "org.mmtune.ui.results..")
                .should().dependOnClassesThat().resideInAPackage("org.mmtune.ui.bench..")
                .because("benchmarks and automation sit on top of the views (org.mmtune.ui.bench), not among them")
                .check(CLASSES);
    }

    @Test
    void mainCodeHasNoTestHooks() {
        noMethods().that().areDeclaredInClassesThat().resideInAPackage("org.mmtune..")
                .should().haveNameMatching(".*(ForTest|ForTests|ForTesting)")
                .because("tests reach nodes by their ids and package-private state through test-side helpers")
                .check(CLASSES);
    }

    @Test
    void topLevelPackagesAreFreeOfCycles() {
        slices().matching("org.mmtune.(*)..").should().beFreeOfCycles().check(CLASSES);
    }
}
