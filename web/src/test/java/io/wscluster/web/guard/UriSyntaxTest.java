package io.wscluster.web.guard;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UriSyntaxTest {

    @ParameterizedTest
    @ValueSource(strings = {"user=alice", "user=a%40b&x=1", "user=caf%C3%A9", "a=b/c?d:e@f", "", "user=al-ice_1.2~"})
    void wellFormedQueriesPass(String query) {
        assertNull(UriSyntax.queryProblem(query));
    }

    @ParameterizedTest
    @ValueSource(strings = {"user=%ZZ", "user=%", "user=%4", "user=a^b", "user=a b", "user=a\"b", "x=<script>", "user=\u00e9", "user=a|b"})
    void malformedQueriesAreNamed(String query) {
        assertNotNull(UriSyntax.queryProblem(query));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/channels/%ZZ/messages", "/api/channels/a?b", "/api/x%2"})
    void malformedPathsAreNamed(String path) {
        assertNotNull(UriSyntax.pathProblem(path));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/channels/inbox.user%23alice/messages", "/api/channels/news/messages", "/ws"})
    void wellFormedPathsPass(String path) {
        assertNull(UriSyntax.pathProblem(path));
    }
}
