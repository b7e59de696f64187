package io.wscluster.security;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.wscluster.api.ErrorCode;
import io.wscluster.api.MessageRejectedException;
import io.wscluster.channel.ChannelOptions;
import io.wscluster.channel.ChannelRules;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChannelPermissionsTest {

    private static final ChannelRules CHANNELS = ChannelRules.of(List.of("news{subscribe=anonymous;publish=server}", "chat.*",
            "vip.*{subscribe=granted;publish=granted}", "inbox.*{publish=server}"));
    private static final Identity ALICE = new Identity("alice", Long.MAX_VALUE, ChannelRules.of(List.of()), false);
    private static final Identity VIP = new Identity("bob", Long.MAX_VALUE, ChannelRules.of(List.of("vip.*")), false);

    private static ChannelOptions options(String channel) {
        return CHANNELS.find(channel).orElseThrow();
    }

    private static ErrorCode subscribeRefusal(Identity who, String channel) {
        return assertThrows(MessageRejectedException.class, () -> ChannelPermissions.requireSubscribe(who, channel, options(channel))).code();
    }

    private static ErrorCode publishRefusal(Identity who, String channel) {
        return assertThrows(MessageRejectedException.class, () -> ChannelPermissions.requirePublish(who, channel, options(channel))).code();
    }

    @Test
    void anonymousMayOnlyWhatIsGrantedToAnonymousAndIsToldToAuthenticate() {
        assertDoesNotThrow(() -> ChannelPermissions.requireSubscribe(Identity.ANONYMOUS, "news", options("news")));
        assertEquals(ErrorCode.UNAUTHORIZED, subscribeRefusal(Identity.ANONYMOUS, "chat.a"));
        assertEquals(ErrorCode.UNAUTHORIZED, publishRefusal(Identity.ANONYMOUS, "chat.a"));
        assertEquals(ErrorCode.UNAUTHORIZED, subscribeRefusal(Identity.ANONYMOUS, "inbox.user#alice"));
    }

    @Test
    void grantedChannelsNeedTheTokensGrant() {
        assertEquals(ErrorCode.PERMISSION_DENIED, subscribeRefusal(ALICE, "vip.lounge"));
        assertDoesNotThrow(() -> ChannelPermissions.requireSubscribe(VIP, "vip.lounge", options("vip.lounge")));
        assertDoesNotThrow(() -> ChannelPermissions.requirePublish(VIP, "vip.lounge", options("vip.lounge")));
    }

    @Test
    void serverOnlyChannelsRefuseEveryClientAndAdmitTheServer() {
        assertEquals(ErrorCode.PERMISSION_DENIED, publishRefusal(ALICE, "news"));
        assertEquals(ErrorCode.PERMISSION_DENIED, publishRefusal(ALICE, "inbox.user#alice"), "even on the user's own channel");
        assertDoesNotThrow(() -> ChannelPermissions.requirePublish(Identity.SERVER, "news", options("news")));
        assertDoesNotThrow(() -> ChannelPermissions.requirePublish(Identity.SERVER, "inbox.user#alice", options("inbox.user#alice")));
    }

    @Test
    void userChannelsAreTheirOwnersAlone() {
        assertDoesNotThrow(() -> ChannelPermissions.requireSubscribe(ALICE, "inbox.user#alice", options("inbox.user#alice")));
        assertEquals(ErrorCode.PERMISSION_DENIED, subscribeRefusal(VIP, "inbox.user#alice"));
        assertDoesNotThrow(() -> ChannelPermissions.requirePublish(ALICE, "chat.room#alice", options("chat.room#alice")));
        assertEquals(ErrorCode.PERMISSION_DENIED, publishRefusal(VIP, "chat.room#alice"));
    }
}
