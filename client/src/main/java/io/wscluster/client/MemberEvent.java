package io.wscluster.client;

/** Someone subscribed to ({@code join}) or left ({@code leave}) a channel that sends join-leave messages. */
public record MemberEvent(String type, String channel, Member member) {
}
