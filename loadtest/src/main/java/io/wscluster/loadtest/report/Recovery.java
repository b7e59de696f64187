package io.wscluster.loadtest.report;

/**
 * What history recovery did in a run: messages replayed to clients that resubscribed from their
 * position, and resubscriptions the server could not recover (the client would reload its state).
 */
public record Recovery(long replayed, long unrecovered) {
}
