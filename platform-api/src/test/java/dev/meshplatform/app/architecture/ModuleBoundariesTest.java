package dev.meshplatform.app.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The module boundaries: dependencies point one way (platform-api → governance/ingestion/processing →
 * domain-registry), and a module reaches another only through its {@code api} package.
 */
class ModuleBoundariesTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages("dev.meshplatform");
        // The library modules come as directories (target/classes) inside the reactor, or as jars when built alone.
        if (classes.stream().noneMatch(c -> c.getPackageName().startsWith("dev.meshplatform.registry"))) {
            classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                    .withImportOption(location -> !location.contains("-tests.jar"))
                    .importPackages("dev.meshplatform");
        }
    }

    @Test
    void everyModuleIsImported() {
        org.assertj.core.api.Assertions.assertThat(classes.stream().map(c -> c.getPackageName().split("\\.")[2])
                .distinct()).contains("app", "registry", "processing");
    }

    @Test
    void theRegistryDependsOnNoOtherModule() {
        rule("registry", "governance", "ingestion", "processing", "app").check(classes);
    }

    @Test
    void governanceIngestionAndProcessingDependOnlyOnTheRegistry() {
        rule("governance", "ingestion", "processing", "app").check(classes);
        rule("ingestion", "governance", "processing", "app").check(classes);
        rule("processing", "governance", "ingestion", "app").check(classes);
    }

    @Test
    void modulesUseEachOtherOnlyThroughTheirApiPackages() {
        for (String module : new String[]{"registry", "governance", "ingestion", "processing"}) {
            noClasses().that().resideOutsideOfPackage("dev.meshplatform." + module + "..")
                    .should().dependOnClassesThat(internalOf(module))
                    .because("other modules use " + module + " only through dev.meshplatform." + module + ".api")
                    .check(classes);
        }
    }

    @Test
    void eachLibraryShowsOnlyItsApiPackage() {
        com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes().that()
                .resideInAnyPackage("dev.meshplatform.registry..", "dev.meshplatform.governance..",
                        "dev.meshplatform.ingestion..", "dev.meshplatform.processing..")
                .and().resideOutsideOfPackage("dev.meshplatform.*.api..")
                .and().areTopLevelClasses()
                // The run JVM's entry point: launchers look its main method up by name.
                .and().doNotHaveFullyQualifiedName("dev.meshplatform.processing.runs.RunJvm")
                .should().notBePublic()
                .because("a library's implementation classes are package-private, beside the wiring that builds them")
                .check(classes);
    }

    @Test
    void everyRefusalAModuleShowsIsOneKindOfException() {
        com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes().that()
                .resideInAnyPackage("dev.meshplatform.*.api..").and().areAssignableTo(RuntimeException.class)
                .should().beAssignableTo(dev.meshplatform.registry.api.MeshException.class)
                .because("the problem-details advice maps one exception base through one table")
                .check(classes);
    }

    @Test
    void thereAreNoCyclesBetweenModules() {
        slices().matching("dev.meshplatform.(*)..").should().beFreeOfCycles().check(classes);
    }

    private static com.tngtech.archunit.base.DescribedPredicate<com.tngtech.archunit.core.domain.JavaClass> internalOf(
            String module) {
        return com.tngtech.archunit.base.DescribedPredicate.describe("internal classes of " + module,
                c -> c.getPackageName().startsWith("dev.meshplatform." + module)
                        && !c.getPackageName().startsWith("dev.meshplatform." + module + ".api"));
    }

    private static ArchRule rule(String module, String... forbidden) {
        String[] packages = new String[forbidden.length];
        for (int i = 0; i < forbidden.length; i++) {
            packages[i] = "dev.meshplatform." + forbidden[i] + "..";
        }
        // No allowEmptyShould: a rule that finds no class to check fails rather than passes.
        return noClasses().that().resideInAPackage("dev.meshplatform." + module + "..")
                .should().dependOnClassesThat().resideInAnyPackage(packages);
    }
}
