// Type declarations for wscluster.js (checked against the module's use by test/types-check.ts with tsc).

/** Where a client stands in a channel's stream (channels that keep history). */
export interface Position {
    epoch: string;
    offset: number;
}

/** Options of a client. `urls` and one of `token` or `user` are required. */
export interface ClientOptions {
    /** ws:// or wss:// endpoint URLs, tried in turn; the event stream and the REST API are found beside each (/sse, /api). */
    urls: string[];
    /** A JWT from the application's backend, or a function returning one (or a promise of one); called again on every (re)connect and refresh. */
    token?: string | (() => string | Promise<string>);
    /** A user without a token: only for servers run with wscluster.auth.user-param, in development. */
    user?: string;
    /** Transports in the order tried. Default ['websocket', 'sse']. */
    transports?: Array<'websocket' | 'sse'>;
    /** A WebSocket implementation (Node 20 without --experimental-websocket: the `ws` package's). Default: the global one. */
    WebSocket?: unknown;
    /** A fetch implementation for the event stream and REST publishes. Default: the global one. */
    fetch?: typeof globalThis.fetch;
    /** Ping this often. Default 25,000 ms. */
    heartbeatMs?: number;
    /** No pong within this: the connection is dead, reconnect. Default 10,000 ms. */
    pongTimeoutMs?: number;
    /** A request with no reply within this is rejected with TIMEOUT. Default 10,000 ms. */
    requestTimeoutMs?: number;
    /** First reconnect delay. Default 250 ms. */
    initialBackoffMs?: number;
    /** Longest reconnect delay. Default 10,000 ms. */
    maxBackoffMs?: number;
    /** Each delay is the previous one times this. Default 2. */
    backoffFactor?: number;
    /** Each delay is reduced by up to this fraction at random. Default 0.5. */
    jitter?: number;
    /** An event stream silent this long is dead. Default 45,000 ms. */
    streamTimeoutMs?: number;
}

export type ClientState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';

/** A message on a subscribed channel (`channel`) or addressed to this user (`to`). */
export interface MessageFrame {
    type: 'message';
    channel?: string;
    to?: string;
    /** The message id, unique in the cluster. */
    id: string;
    /** The JSON value that was published, unchanged. */
    data: unknown;
    /** Publish time, milliseconds since the epoch, on the origin node's clock. */
    ts: number;
    epoch?: string;
    offset?: number;
}

/** A rejected request or a refusal the server sent: a code from PROTOCOL.md and a message. */
export interface ClientError {
    code: string;
    message: string;
    ref?: number;
    channel?: string;
    retryAfterMs?: number;
}

export interface SubscribedFrame {
    type: 'subscribed';
    channel: string;
    epoch?: string;
    offset?: number;
    recovered?: boolean;
    server?: true;
}

export interface Member {
    user: string;
    connection: string;
    node: string;
    since: number;
}

export interface PresenceFrame {
    type: 'presence';
    channel: string;
    count: number;
    users: number;
    complete: boolean;
    members: Member[];
}

export interface MemberFrame {
    type: 'join' | 'leave';
    channel: string;
    member: Member;
}

export interface ReconnectInfo {
    code: number;
    reason: string;
    delayMs: number;
    attempt: number;
}

/** What each event hands its listeners. */
export interface ClientEvents {
    message: MessageFrame;
    state: ClientState;
    error: ClientError;
    reconnect: ReconnectInfo;
    /** Every remembered channel's subscription was answered (after connect and every reconnect). */
    ready: string[];
    /** A channel whose missed messages could not all be replayed: reload its state from the application. */
    unrecovered: string;
    /** A remembered channel could not be subscribed again after a reconnect; the client forgot it. */
    resubscribeFailed: { channel: string; error: ClientError };
    join: MemberFrame;
    leave: MemberFrame;
    /** The server API put this user on a channel. */
    subscribed: SubscribedFrame;
    /** The server API took this user off a channel (the client forgets it). */
    unsubscribed: { type: 'unsubscribed'; channel: string; server: true };
    refreshed: { type: 'refreshed'; user: string; expiresAt: number; server: true };
    /** The server closed the connection for good (a disconnect or ban); the client does not reconnect. */
    disconnected: { code: number; reason: string };
    transport: 'websocket' | 'sse';
}

export interface PublishOptions {
    priority?: 'high';
    /** What the message is about, for latest-per-key channels. */
    key?: string;
    /** Makes a retried publish safe: delivered once. One is made up when not given. */
    idempotencyKey?: string;
}

export class WsclusterClient {
    constructor(options: ClientOptions);
    readonly options: Required<Pick<ClientOptions, 'urls'>> & ClientOptions;
    /** The connection's state; 'state' events report each change. */
    readonly state: ClientState;
    /** The transport of the current (or the next) connection. */
    readonly transport: 'websocket' | 'sse';
    /** Where the client stands on each channel with history: what a reconnect resumes from. */
    readonly positions: Map<string, Position>;
    /** Adds a listener; returns a function that removes it. */
    on<E extends keyof ClientEvents>(event: E, listener: (value: ClientEvents[E]) => void): () => void;
    connect(): this;
    /** Resolves once the server confirmed; rejects with the server's error. Remembered for reconnects. */
    subscribe(channel: string): Promise<SubscribedFrame>;
    unsubscribe(channel: string): Promise<{ type: 'unsubscribed'; channel: string }>;
    /** Resolves with the message id. */
    publish(channel: string, data: unknown, options?: PublishOptions): Promise<string>;
    /** Who is subscribed to a channel that tracks presence (WebSocket only). */
    presence(channel: string): Promise<PresenceFrame>;
    close(): void;
}
