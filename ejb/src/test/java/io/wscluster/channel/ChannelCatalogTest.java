package io.wscluster.channel;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.wscluster.api.ErrorCode;
import io.wscluster.api.MessageRejectedException;
import io.wscluster.security.ChannelPermissions;
import io.wscluster.security.Identity;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChannelCatalogTest {

    private static ChannelCatalog catalog(String... configured) {
        ChannelCatalog catalog = new ChannelCatalog();
        catalog.configured = List.of(configured);
        catalog.compile();
        return catalog;
    }

    @Test
    void aNodesWarmupChannelExistsWhateverTheConfigurationForTheServerOnly() {
        ChannelCatalog catalog = catalog("news");
        String channel = ChannelCatalog.warmupChannel("node-1");
        assertFalse(ChannelNames.isValid(channel), "no client can name it: " + channel);
        ChannelOptions options = catalog.requireKnown(channel);
        assertEquals(options, catalog.options(channel));
        assertFalse(options.keepsHistory() || options.presence() || options.backendSubscribe() || options.backendPublish(), options.toString());
        Identity user = Identity.unverifiedUser("mallory");
        assertEquals(ErrorCode.PERMISSION_DENIED, assertThrows(MessageRejectedException.class,
                () -> ChannelPermissions.requireSubscribe(user, channel, options)).code());
        assertEquals(ErrorCode.PERMISSION_DENIED, assertThrows(MessageRejectedException.class,
                () -> ChannelPermissions.requirePublish(user, channel, options)).code());
        assertDoesNotThrow(() -> ChannelPermissions.requireSubscribe(Identity.SERVER, channel, options));
        assertDoesNotThrow(() -> ChannelPermissions.requirePublish(Identity.SERVER, channel, options));
    }

    @Test
    void otherNamesFollowTheConfiguration() {
        ChannelCatalog catalog = catalog("news{history=10}");
        assertEquals(10, catalog.requireKnown("news").historySize());
        assertEquals(ErrorCode.UNKNOWN_CHANNEL, assertThrows(MessageRejectedException.class, () -> catalog.requireKnown("sport")).code());
        assertEquals(ErrorCode.INVALID_CHANNEL, assertThrows(MessageRejectedException.class, () -> catalog.requireKnown("$warmup")).code(),
                "the prefix needs its colon");
    }
}
