package io.wscluster.history;

import java.util.List;

/** Where an append put its messages: the stream's epoch and each message's offset, in order. */
public record Appended(String epoch, List<Long> offsets) {
}
