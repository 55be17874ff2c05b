package org.bacnetsc.service;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The dependency rules of the whole code base (main code of every module), checked on the compiled classes: the
 * libraries depend one way, from the codec up to the module that packs {@code bsc.jar}
 * (codec &lt;- connection &lt;- transport &lt;- node &lt;- device &lt;- router, hub &lt;- cluster; network &lt;- device,
 * bip &lt;- router;
 * operations below them all and knowing none of them; the examples above the libraries; the service on top), no two
 * packages depend on each other, and no other library's internal packages are used.
 */
@AnalyzeClasses(packages = "org.bacnetsc", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    private static final String[] ABOVE_NODE = {"device", "router", "hub", "cluster", "examples", "service"};

    @ArchTest
    static final ArchRule librariesDependOneWay = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("operations").definedBy("org.bacnetsc.operations..")
            .layer("codec").definedBy("org.bacnetsc.codec..")
            .layer("connection").definedBy("org.bacnetsc.connection..")
            .layer("transport").definedBy("org.bacnetsc.transport..")
            .layer("node").definedBy("org.bacnetsc.node..")
            .layer("network").definedBy("org.bacnetsc.network..")
            .layer("bip").definedBy("org.bacnetsc.bip..")
            .layer("router").definedBy("org.bacnetsc.router..")
            .layer("hub").definedBy("org.bacnetsc.hub..")
            .layer("cluster").definedBy("org.bacnetsc.cluster..")
            .layer("device").definedBy("org.bacnetsc.device..")
            .layer("examples").definedBy("org.bacnetsc.examples..")
            .layer("service").definedBy("org.bacnetsc.service..")
            .whereLayer("service").mayNotBeAccessedByAnyLayer()
            .whereLayer("examples").mayOnlyBeAccessedByLayers("service")
            .whereLayer("cluster").mayOnlyBeAccessedByLayers("examples", "service")
            .whereLayer("hub").mayOnlyBeAccessedByLayers("cluster", "examples", "service")
            .whereLayer("router").mayOnlyBeAccessedByLayers("examples", "service")
            .whereLayer("device").mayOnlyBeAccessedByLayers("hub", "cluster", "bip", "router", "examples", "service")
            .whereLayer("bip").mayOnlyBeAccessedByLayers("router", "examples", "service")
            .whereLayer("network").mayOnlyBeAccessedByLayers("device", "bip", "router", "hub", "examples", "service")
            .whereLayer("node").mayOnlyBeAccessedByLayers(ABOVE_NODE)
            .whereLayer("transport").mayOnlyBeAccessedByLayers(with("node", ABOVE_NODE))
            .whereLayer("connection").mayOnlyBeAccessedByLayers(with("transport", with("node", ABOVE_NODE)))
            .whereLayer("codec").mayOnlyBeAccessedByLayers(with("connection", with("transport",
                    with("node", with("network", with("bip", ABOVE_NODE))))))
            .whereLayer("operations").mayOnlyBeAccessedByLayers(with("node", ABOVE_NODE));

    @ArchTest
    static final ArchRule noCyclesBetweenPackages = slices().matching("org.bacnetsc.(**)").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule noOtherLibrarysInternals = noClasses().should().dependOnClassesThat()
            .resideInAnyPackage("org.apache.pekko..impl..", "org.apache.pekko..internal..", "io.netty..internal..",
                    "com.fasterxml..impl..", "io.prometheus..internal..", "sun.security..", "jdk.internal..")
            .because("another library's internal packages make no promise of stability or limits we control");

    private static String[] with(String first, String... rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }
}
