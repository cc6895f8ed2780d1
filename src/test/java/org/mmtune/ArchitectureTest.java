package org.mmtune;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The paper's stages never depend on JavaFX or on the UI; the UI sits on top of them. */
class ArchitectureTest {

    private static final String[] CORE = {
        "org.mmtune.data..", "org.mmtune.mix..", "org.mmtune.match..", "org.mmtune.nn..",
        "org.mmtune.train..", "org.mmtune.eval..", "org.mmtune.experiment..", "org.mmtune.util.."
    };

    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.mmtune");

    @Test
    void corePackagesNeverUseJavaFx() {
        noClasses().that().resideInAnyPackage(CORE)
                .should().dependOnClassesThat().resideInAnyPackage("javafx..", "org.controlsfx..", "org.jfree.chart.fx..")
                .because("the pipeline must run headless and the UI sits on top of it")
                .check(classes);
    }

    @Test
    void corePackagesNeverUseTheUi() {
        noClasses().that().resideInAnyPackage(CORE)
                .should().dependOnClassesThat().resideInAnyPackage("org.mmtune.ui..", "org.mmtune.cli..")
                .check(classes);
    }
}
