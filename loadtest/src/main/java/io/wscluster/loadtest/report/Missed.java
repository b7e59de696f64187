package io.wscluster.loadtest.report;

/**
 * A lost message named: the channel and publisher stream it belongs to, its number there, how many
 * tracked clients never received it though they received later ones, and how many of those had reconnected.
 */
public record Missed(String channel, int publisher, long seq, long clients, long reconnected) {
}
