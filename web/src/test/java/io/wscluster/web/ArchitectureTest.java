package io.wscluster.web;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaConstructor;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.JavaParameterizedType;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;
import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The structure docs/architecture.md describes, checked on the compiled classes of both
 * modules: no cycles between packages or between beans, the cluster package at the bottom, the client API
 * on its own, and the web module on the services' surface only.
 */
class ArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.wscluster");
    private static final List<Class<? extends Annotation>> BEAN_SCOPES = List.of(ApplicationScoped.class,
            RequestScoped.class, Dependent.class, jakarta.ejb.Stateless.class, jakarta.ejb.Singleton.class);

    @Test
    void bothModulesAreImported() {
        assertTrue(CLASSES.contain("io.wscluster.hub.Hub"));
        assertTrue(CLASSES.contain("io.wscluster.web.socket.SocketEndpoint"));
    }

    @Test
    void noCyclesBetweenPackages() {
        slices().matching("io.wscluster.(**)").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void theClusterPackageIsTheBottomLayer() {
        classes().that().resideInAPackage("io.wscluster.cluster..").should().onlyDependOnClassesThat()
                .resideInAnyPackage("io.wscluster.cluster..", "java..", "jakarta..", "org.eclipse.microprofile..",
                        "org.infinispan..")
                .check(CLASSES);
    }

    @Test
    void theClientApiStandsAlone() {
        classes().that().resideInAPackage("io.wscluster.api..").should().onlyDependOnClassesThat()
                .resideInAnyPackage("io.wscluster.api..", "java..", "jakarta.ejb..")
                .check(CLASSES);
    }

    @Test
    void theWebModuleUsesTheServicesNotTheBusOrTheCacheManager() {
        noClasses().that().resideInAPackage("io.wscluster.web..").should().dependOnClassesThat()
                .resideInAnyPackage("io.wscluster.bus..", "io.wscluster.cluster..", "org.infinispan..", "fish.payara..")
                .check(CLASSES);
    }

    @Test
    void theServicesKnowNothingOfTheWebModule() {
        noClasses().that().resideOutsideOfPackage("io.wscluster.web..").should().dependOnClassesThat()
                .resideInAPackage("io.wscluster.web..")
                .check(CLASSES);
    }

    /** Injection points (fields, constructors, producer parameters) between beans, followed to find a cycle. */
    @Test
    void noBeanDependsOnItselfThroughOthers() {
        List<JavaClass> beans = CLASSES.stream().filter(ArchitectureTest::isBean).toList();
        Map<JavaClass, Set<JavaClass>> graph = new HashMap<>();
        for (JavaClass bean : beans) {
            Set<JavaClass> dependencies = new LinkedHashSet<>();
            for (JavaType type : injectedTypes(bean)) {
                dependencies.addAll(resolve(type.toErasure(), beans));
            }
            graph.put(bean, dependencies);
        }
        assertTrue(graph.size() > 30, "beans found: " + graph.size());
        List<String> cycle = findCycle(graph);
        assertEquals(List.of(), cycle, "a cycle of beans");
    }

    private static boolean isBean(JavaClass type) {
        return BEAN_SCOPES.stream().anyMatch(type::isAnnotatedWith);
    }

    private static List<JavaType> injectedTypes(JavaClass bean) {
        List<JavaType> types = new ArrayList<>();
        for (JavaField field : bean.getFields()) {
            if (field.isAnnotatedWith(Inject.class)) {
                types.add(unwrapInstance(field.getType()));
            }
        }
        for (JavaConstructor constructor : bean.getConstructors()) {
            if (constructor.isAnnotatedWith(Inject.class)) {
                constructor.getParameterTypes().forEach(t -> types.add(unwrapInstance(t)));
            }
        }
        return types;
    }

    /** {@code Instance<X>} is resolved lazily, but still a dependency on X. */
    private static JavaType unwrapInstance(JavaType type) {
        if (type instanceof JavaParameterizedType parameterized && parameterized.toErasure().isEquivalentTo(Instance.class)) {
            return parameterized.getActualTypeArguments().get(0);
        }
        return type;
    }

    /** The beans an injection point of this type can be: beans of that type, or the producers of it. */
    private static List<JavaClass> resolve(JavaClass type, List<JavaClass> beans) {
        List<JavaClass> found = new ArrayList<>();
        for (JavaClass bean : beans) {
            boolean typed = bean.isAnnotatedWith(Typed.class);
            if (bean.equals(type) || !typed && bean.isAssignableTo(type.getName())) {
                found.add(bean);
            }
            for (JavaMethod method : bean.getMethods()) {
                if (method.isAnnotatedWith(Produces.class) && method.getRawReturnType().equals(type)) {
                    found.add(bean);
                }
            }
        }
        return found;
    }

    private static List<String> findCycle(Map<JavaClass, Set<JavaClass>> graph) {
        Map<JavaClass, Integer> state = new HashMap<>(); // 1 on the path, 2 done
        for (JavaClass start : graph.keySet()) {
            List<JavaClass> path = new ArrayList<>();
            if (visit(start, graph, state, path)) {
                return path.stream().map(JavaClass::getSimpleName).toList();
            }
        }
        return List.of();
    }

    private static boolean visit(JavaClass node, Map<JavaClass, Set<JavaClass>> graph, Map<JavaClass, Integer> state,
            List<JavaClass> path) {
        Integer seen = state.get(node);
        if (seen != null) {
            if (seen == 1) {
                path.subList(0, path.indexOf(node)).clear();
                path.add(node);
                return true;
            }
            return false;
        }
        state.put(node, 1);
        path.add(node);
        for (JavaClass next : graph.getOrDefault(node, Set.of())) {
            if (visit(next, graph, state, path)) {
                return true;
            }
        }
        path.remove(path.size() - 1);
        state.put(node, 2);
        return false;
    }
}
