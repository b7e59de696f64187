package io.wscluster.web.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.ext.Provider;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The application names its resources and providers instead of being scanned: none may be left out. */
class RestApplicationTest {

    @Test
    void everyResourceAndProviderOfTheApiIsNamed() {
        Set<String> annotated = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.wscluster").stream()
                .filter(c -> c.isAnnotatedWith(Path.class) || c.isAnnotatedWith(Provider.class))
                .map(JavaClass::getName).collect(Collectors.toCollection(TreeSet::new));
        Set<String> named = new RestApplication().getClasses().stream().map(Class::getName).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(annotated, named);
    }
}
