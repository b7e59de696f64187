package io.wscluster.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.wscluster.api.Priority;
import io.wscluster.channel.ChannelOptions;
import io.wscluster.history.MemoryStreams;
import io.wscluster.message.Message;
import io.wscluster.message.Origin;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a node's follower of a channel's stream releases when messages of a foreign epoch arrive. */
class StreamFollowerTest {

    private static final String CHANNEL = "room.x";

    private static Message message(String id) {
        return new Message(id, CHANNEL, null, "1", 0, Origin.REST, Priority.NORMAL, null, null, 0);
    }

    @Test
    void aMessageOfAnEpochTheStreamDoesNotHaveIsDroppedAndAStreamThatStartedAgainIsFollowed() {
        MemoryStreams streams = new MemoryStreams();
        streams.append(message("a"), ChannelOptions.DEFAULTS);
        StreamFollower follower = new StreamFollower(streams, 1_000, 128);
        follower.follow(CHANNEL);
        List<String> released = new ArrayList<>();

        follower.deliver(streams.append(message("b"), ChannelOptions.DEFAULTS), m -> released.add(m.id()));
        // As from a node that was cut off and started a stream of its own for the channel.
        follower.deliver(message("stray").at("elsewhere", 1), m -> released.add(m.id()));
        follower.deliver(streams.append(message("c"), ChannelOptions.DEFAULTS), m -> released.add(m.id()));
        assertEquals(List.of("b", "c"), released, "the stray neither released nor restarting the channel");

        streams.expire(CHANNEL);
        follower.deliver(streams.append(message("d"), ChannelOptions.DEFAULTS), m -> released.add(m.id()));
        assertEquals(List.of("b", "c", "d"), released, "the stream's own new epoch is followed from its start");
    }
}
