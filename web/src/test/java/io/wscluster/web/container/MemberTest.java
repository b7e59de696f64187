package io.wscluster.web.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class MemberTest {

    static class Base {
        private String secret = "base";

        private String whisper() {
            return "from " + secret;
        }
    }

    static final class Derived extends Base {
        private final int own = 7;
    }

    static final class Other {
        private String secret = "other";
    }

    @Test
    void readsAndWritesPrivateFieldsDeclaredUpTheHierarchy() throws Exception {
        Member secret = Member.field("secret");
        Derived derived = new Derived();
        assertEquals("base", secret.read(derived));
        secret.write(derived, "changed");
        assertEquals("from changed", Member.method("whisper").read(derived));
        assertEquals(7, Member.field("own").read(derived));
    }

    @Test
    void followsTheClassOfEachTarget() throws Exception {
        Member secret = Member.field("secret");
        assertEquals("base", secret.read(new Base()));
        assertEquals("other", secret.read(new Other()), "found again for another class");
        assertEquals("base", secret.read(new Derived()));
    }

    @Test
    void aNullTargetReadsNullAndAMissingMemberFails() throws Exception {
        assertNull(Member.field("secret").read(null));
        assertThrows(NoSuchFieldException.class, () -> Member.field("absent").read(new Base()));
        assertThrows(NoSuchMethodException.class, () -> Member.method("absent").read(new Base()));
    }
}
