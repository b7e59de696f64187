// wscluster JavaScript client: an ES module with no dependencies and no build step, for browsers and
// Node (20+: pass `WebSocket` from a library, or run with --experimental-websocket; 22+ has it built in).
// Served by every node at /client/wscluster.js, and the npm package wscluster-client (client-js/ in the repository).
//
//   import { WsclusterClient } from 'wscluster-client';   // or from '/client/wscluster.js' in a page
//   const client = new WsclusterClient({ urls: ['wss://chat.example.com/ws'], token: () => fetchTokenFromMyApp() });
//   client.on('message', (m) => console.log(m.channel, m.data));
//   client.on('state', (s) => console.log('now', s));
//   client.on('ready', (channels) => console.log('subscribed again to', channels));
//   client.connect();
//   await client.subscribe('news');
//   const id = await client.publish('news', { text: 'hi' });
//
// Where WebSocket cannot open (a proxy that breaks it), it falls back to Server-Sent Events: the stream is
// read with fetch (which can send the token in a header), resumed after a break with Last-Event-ID (the
// event id: where the client stands on each channel), and a publish goes over REST with the user's own token. Once a transport has worked the client stays with it;
// after a failure to open it tries the next one. See 'transport' below for what SSE cannot do.
//
// It detects dead connections with ping/pong, reconnects with exponential backoff and jitter (trying the
// next URL each time), and resubscribes to every channel after a reconnect. On channels that keep history
// it resubscribes from the position of the last message it got: what it missed arrives first, once each,
// in order. When the server cannot replay it all (beyond the channel's history, or its stream started
// again) it emits 'unrecovered' with the channel: reload that state from the application.
//   client.on('unrecovered', (channel) => reloadFromServer(channel));
// The token (a JWT from the application's backend; `token` is a string or a function returning one or a
// promise of one) is sent in a `connect` frame first on every connection, and a fresh one in a `refresh`
// frame a minute before the current one expires. `user` alone (no token) is for servers run with
// wscluster.auth.user-param, in development.
// See PROTOCOL.md for the frames.

const DEFAULTS = {
    heartbeatMs: 25_000,      // ping this often; the server closes connections silent for 120 s
    pongTimeoutMs: 10_000,    // no pong within this: the connection is dead, reconnect
    requestTimeoutMs: 10_000, // a request with no reply within this is rejected
    initialBackoffMs: 250,
    maxBackoffMs: 10_000,
    backoffFactor: 2,
    jitter: 0.5,              // each delay is reduced by up to this fraction at random, so clients spread out
    transports: ['websocket', 'sse'], // tried in this order
    streamTimeoutMs: 45_000,  // an event stream silent this long is dead (the server comments every 15 s at most)
};

/** The event-stream URL beside a socket URL: ws://host/ws -> http://host/sse. */
function streamUrlOf(socketUrl) {
    const url = new URL(socketUrl);
    url.protocol = url.protocol === 'wss:' ? 'https:' : 'http:';
    url.pathname = url.pathname.replace(/\/ws$/, '/sse');
    return url;
}

/** The REST API beside a socket URL: ws://host/ws -> http://host/api. */
function apiUrlOf(socketUrl) {
    const url = new URL(socketUrl);
    url.protocol = url.protocol === 'wss:' ? 'https:' : 'http:';
    url.pathname = url.pathname.replace(/\/ws$/, '') + '/api';
    url.search = '';
    return url.toString();
}

/**
 * Close codes after which the client does not reconnect: a policy violation, a token refused (4003), a ban
 * (4006), and a disconnect by the server API (4100-4499; it may choose 4500-4999 to have clients reconnect).
 */
function isFinal(code) {
    return code === 1008 || code === 4003 || code === 4006 || (code >= 4100 && code <= 4499);
}

/** A fresh idempotency key: random, 32 hex characters. */
function newKey() {
    if (globalThis.crypto?.randomUUID) return globalThis.crypto.randomUUID();
    return Array.from({ length: 32 }, () => Math.floor(Math.random() * 16).toString(16)).join('');
}

/** The claims of a JWT, unverified (the server verifies); {} when it is not one. */
function claimsOf(token) {
    try {
        return JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
    } catch {
        return {};
    }
}

export class WsclusterClient {
    /**
     * @param {object} options urls (array of ws:// or wss:// endpoint URLs, tried in turn; the event stream
     *   and the REST API are found beside each: /sse and /api in place of /ws), token (or user, in
     *   development), and optionally transports (['websocket', 'sse'] by default, tried in that order),
     *   WebSocket and fetch (implementations; the global ones by default) and the timing fields of DEFAULTS.
     */
    constructor(options) {
        this.options = { ...DEFAULTS, ...options };
        if (!this.options.urls?.length || !(this.options.user || this.options.token)) {
            throw new Error('urls and a token (or user) are required');
        }
        this.WebSocketImpl = options.WebSocket || globalThis.WebSocket;
        this.fetchImpl = options.fetch || globalThis.fetch?.bind(globalThis);
        this.transports = this.options.transports.filter((t) =>
            t === 'websocket' ? this.WebSocketImpl : t === 'sse' ? this.fetchImpl && globalThis.TextDecoderStream : false);
        if (!this.transports.length) {
            throw new Error('no transport: pass options.WebSocket or options.fetch');
        }
        this.transportIndex = 0;
        this.streamWaits = new Map();    // channel -> [{ resolve, reject, timer }]: subscriptions the stream answers
        this.openWaits = new Map();      // channel -> [{ resolve, reject }]: subscriptions the next connection answers
        this.listeners = new Map();
        this.channels = new Set();       // what to resubscribe after a reconnect
        this.positions = new Map();      // channel -> { epoch, offset }: where this client stands in its stream
        this.pending = new Map();        // request id -> { resolve, reject, timer }
        this.nextId = 1;
        this.urlIndex = 0;
        this.attempt = 0;
        this.state = 'idle';
        this.closedByUser = false;
    }

    /**
     * @param {'message'|'state'|'error'|'reconnect'|'ready'|'unrecovered'|'resubscribeFailed'|'join'|'leave'|'subscribed'|'unsubscribed'|'refreshed'|'disconnected'|'transport'} event
     *   'ready' fires each time the connection is open and every remembered channel's subscription has been
     *   answered (after connect and every reconnect); 'unrecovered' with a channel whose missed messages could
     *   not all be replayed; 'resubscribeFailed' ({ channel, error }) when the server refused a remembered
     *   channel after a reconnect (the client forgets it). The server API's acts: 'subscribed' and 'unsubscribed' ({ channel, server: true }:
     *   a channel the server put this user on, or took it off; the first is not resubscribed after a reconnect,
     *   the second is forgotten), 'refreshed' ({ expiresAt }), and 'disconnected' ({ code, reason }) when the
     *   server closed the connection for good (a disconnect or ban; the client does not reconnect).
     *   'transport' ('websocket' or 'sse') when the first connection opens, and when one opens on another
     *   transport than the last.
     *   Over SSE, presence() is refused (NOT_SUPPORTED), publish() needs a token, and a subscribe or
     *   unsubscribe reopens the stream (channels with history resume without a gap; on others a message
     *   published during the reopen may be missed, as in any reconnect).
     */
    on(event, listener) {
        if (!this.listeners.has(event)) this.listeners.set(event, new Set());
        this.listeners.get(event).add(listener);
        return () => this.listeners.get(event).delete(listener);
    }

    connect() {
        this.closedByUser = false;
        this.#open();
        return this;
    }

    /** 'websocket' or 'sse': the transport of the current (or the next) connection. */
    get transport() {
        return this.transports[this.transportIndex % this.transports.length];
    }

    /** Resolves once the server confirmed; rejects with the server's error ({code, message}). */
    subscribe(channel) {
        this.channels.add(channel);
        return this.#subscribe(channel).catch((e) => {
            this.channels.delete(channel);
            throw e;
        });
    }

    unsubscribe(channel) {
        this.channels.delete(channel);
        this.positions.delete(channel);
        if (this.transport === 'sse') {
            this.#reopenStream();
            return Promise.resolve({ type: 'unsubscribed', channel });
        }
        return this.#request({ type: 'unsubscribe', channel });
    }

    /**
     * Resolves with the message id. options.priority may be 'high'; options.key names what the message is
     * about (for latest-per-key channels); options.idempotencyKey (one is made up when not given) makes a
     * retry of a publish whose reply was lost safe: the message is delivered once.
     */
    async publish(channel, data, options = {}) {
        const frame = { type: 'publish', channel, data, idempotencyKey: options.idempotencyKey ?? newKey() };
        if (this.transport === 'sse') return this.#publishRest(frame, options);
        if (options.priority) frame.priority = options.priority;
        if (options.key) frame.key = options.key;
        return (await this.#request(frame)).messageId;
    }

    /** Resolves with who is subscribed to a channel that tracks presence: { count, users, complete, members }. */
    presence(channel) {
        if (this.transport === 'sse') return Promise.reject({ code: 'NOT_SUPPORTED', message: 'presence needs a WebSocket connection' });
        return this.#request({ type: 'presence', channel });
    }

    close() {
        this.closedByUser = true;
        clearTimeout(this.refreshTimer);
        clearTimeout(this.reconnectTimer);
        this.#stopHeartbeat();
        this.socket?.close(1000, 'client closed');
        this.#setState('closed');
    }

    // --- internals ---

    #emit(event, value) {
        for (const listener of this.listeners.get(event) || []) {
            try { listener(value); } catch (e) { console.error('wscluster listener failed', e); }
        }
    }

    #setState(state) {
        if (this.state !== state) {
            this.state = state;
            this.#emit('state', state);
        }
    }

    /** A current token: the option itself, or what its function returns. */
    async #token() {
        const t = this.options.token;
        return typeof t === 'function' ? await t() : t;
    }

    /** Sends connect (or refresh) with a current token; schedules the next refresh a minute before it expires. */
    async #authenticate(socket, type) {
        const token = await this.#token();
        const reply = await this.#request({ type, token });
        this.#scheduleRefresh(socket, reply.expiresAt);
        return reply;
    }

    #scheduleRefresh(socket, expiresAt) {
        clearTimeout(this.refreshTimer);
        if (expiresAt && this.socket === socket && this.options.token) {
            const inMs = Math.max(1_000, expiresAt - Date.now() - 60_000);
            this.refreshTimer = setTimeout(() => this.#authenticate(socket, 'refresh').catch((e) => this.#emit('error', e)), inMs);
        }
    }

    /** The user as a routing hint, so the balancer sends this client to the node it was on. */
    async #routingUser() {
        return this.options.user || (this.options.token && claimsOf(await this.#token().catch(() => '') || '').sub);
    }

    async #open() {
        if (this.transport === 'sse') return this.#openStream();
        const base = this.options.urls[this.urlIndex % this.options.urls.length];
        const user = await this.#routingUser();
        const url = user ? `${base}${base.includes('?') ? '&' : '?'}user=${encodeURIComponent(user)}` : base;
        this.#setState(this.attempt === 0 ? 'connecting' : 'reconnecting');
        const socket = new this.WebSocketImpl(url);
        this.socket = socket;
        socket.onopen = async () => {
            this.#startHeartbeat();
            if (this.options.token) {
                try {
                    await this.#authenticate(socket, 'connect');
                } catch (e) {
                    this.#emit('error', e);
                    return; // the server closes the connection (4003)
                }
            }
            this.#opened(socket);
            // Resubscribe everything; a failure here is reported, not fatal. 'ready' follows once all are answered.
            // A subscribe() made while not connected waits for this one (openWaits) rather than sending its own.
            const resubscribed = [...this.channels].map((channel) => this.#subscribe(channel).then(
                (reply) => this.#settleOpenWaits(channel, null, reply),
                (e) => this.#settleOpenWaits(channel, e) || this.#resubscribeFailed(channel, e)));
            Promise.all(resubscribed).then(() => { if (this.socket === socket) this.#emit('ready', [...this.channels]); });
        };
        socket.onmessage = (event) => this.#onFrame(event.data);
        socket.onclose = (event) => this.#onClose(socket, event.code, event.reason);
        socket.onerror = () => { /* a close event follows */ };
    }

    /**
     * A remembered channel was not subscribed again. Refused by the server (its rights changed, the channel
     * went away): forgotten, and 'resubscribeFailed' tells the application. Lost with the connection or
     * timed out: kept, so the next connection tries again.
     */
    /**
     * Settles the subscribe() calls waiting for a channel's subscription on connect; a lost connection leaves
     * them waiting for the next. Returns whether any waited.
     */
    #settleOpenWaits(channel, error, reply) {
        const waits = this.openWaits.get(channel);
        if (!waits || error?.code === 'DISCONNECTED') return false;
        this.openWaits.delete(channel);
        for (const { resolve, reject } of waits) error ? reject(error) : resolve(reply);
        return true;
    }

    /** The answer to a channel's subscription when the connection opens (and every remembered channel is sent). */
    #nextAnswer(channel) {
        return new Promise((resolve, reject) => {
            this.openWaits.set(channel, [...(this.openWaits.get(channel) || []), { resolve, reject }]);
        });
    }

    #resubscribeFailed(channel, error) {
        if (error?.code === 'DISCONNECTED' || error?.code === 'TIMEOUT') {
            this.#emit('error', error);
            return;
        }
        this.channels.delete(channel);
        this.positions.delete(channel);
        this.#emit('resubscribeFailed', { channel, error });
    }

    /** Subscribes from the last position, where the channel keeps history. */
    #subscribe(channel) {
        if (this.transport === 'sse') return this.#streamSubscribe(channel);
        if (this.state !== 'open' || this.socket?.readyState !== 1) return this.#nextAnswer(channel);
        const since = this.positions.get(channel);
        const frame = since ? { type: 'subscribe', channel, since } : { type: 'subscribe', channel };
        // The reply is handled (a microtask) before the next frame's event: replayed messages come after it.
        return this.#request(frame).then((reply) => {
            const recovered = reply.recovered !== false;
            if (reply.epoch !== undefined && this.channels.has(channel) && (!since || !recovered)) {
                // Where live messages start; a recovered resume is moved on by the replayed messages instead.
                this.positions.set(channel, { epoch: reply.epoch, offset: reply.offset });
            }
            if (!recovered) this.#emit('unrecovered', channel);
            return reply;
        });
    }

    #onFrame(text) {
        let frame;
        try { frame = JSON.parse(text); } catch { return; }
        if (frame.type === 'message') {
            if (frame.epoch !== undefined && this.channels.has(frame.channel)) {
                this.positions.set(frame.channel, { epoch: frame.epoch, offset: frame.offset });
            }
            this.#emit('message', frame);
            return;
        }
        if (frame.type === 'join' || frame.type === 'leave') {
            this.#emit(frame.type, frame); // { channel, member: { user, connection, node, since } }
            return;
        }
        if (frame.server) {
            this.#onServerAct(frame);
            return;
        }
        if (this.socket?.isStream && this.#onStreamFrame(frame)) return;
        const id = frame.type === 'error' ? frame.ref : frame.id;
        const waiting = id !== undefined && this.pending.get(id);
        if (waiting) {
            this.pending.delete(id);
            clearTimeout(waiting.timer);
            frame.type === 'error' ? waiting.reject(frame) : waiting.resolve(frame);
        } else if (frame.type === 'error') {
            this.#emit('error', frame);
        }
    }

    /** A frame the server API sent of its own accord: no request of ours to answer. */
    #onServerAct(frame) {
        if (frame.type === 'unsubscribed') {
            this.channels.delete(frame.channel);
            this.positions.delete(frame.channel);
        } else if (frame.type === 'refreshed' && this.socket) {
            // The connection now lasts until expiresAt; our own refresh moves to a minute before it.
            this.#scheduleRefresh(this.socket, frame.expiresAt);
        }
        this.#emit(frame.type, frame);
    }

    #onClose(socket, code, reason) {
        if (socket !== this.socket) return; // an older socket we already gave up on
        this.socket = null;
        if (socket.isStream) socket.close(); // subscriptions waiting for the stream wait for the next one
        // A connection that worked is retried on the next URL with the same transport; one that never opened,
        // with the next transport on the same URL, and once all have failed there, on the next URL.
        const nextTransport = !socket.opened && this.transports.length > 1;
        if (nextTransport) this.transportIndex++;
        this.#stopHeartbeat();
        clearTimeout(this.refreshTimer);
        for (const [, waiting] of this.pending) {
            clearTimeout(waiting.timer);
            waiting.reject({ code: 'DISCONNECTED', message: `connection closed (${code})` });
        }
        this.pending.clear();
        if (this.closedByUser) return;
        if (isFinal(code)) {
            this.#setState('closed');
            this.#emit('disconnected', { code, reason });
            this.#emit('error', { code: 'CLOSED', message: `server closed the connection for good: ${code} ${reason}` });
            return;
        }
        const o = this.options;
        const delay = Math.min(o.maxBackoffMs, o.initialBackoffMs * o.backoffFactor ** this.attempt) * (1 - o.jitter * Math.random());
        this.attempt++;
        if (!nextTransport || this.transportIndex % this.transports.length === 0) this.urlIndex++;
        this.#setState('reconnecting');
        this.#emit('reconnect', { code, reason, delayMs: Math.round(delay), attempt: this.attempt });
        this.reconnectTimer = setTimeout(() => this.#open(), delay);
    }

    /** A connection was accepted (its token too): it is the one that works now. */
    #opened(connection) {
        connection.opened = true;
        this.attempt = 0;
        if (this.lastTransport !== this.transport) {
            this.lastTransport = this.transport;
            this.#emit('transport', this.transport);
        }
        this.#setState('open');
    }

    // --- the event-stream transport ---

    /**
     * Opens an event stream for every remembered channel, resuming from where the client stands. The
     * connection object stands where a socket would (this.socket), so the rest of the client treats both alike.
     */
    async #openStream() {
        const controller = new AbortController();
        const stream = { isStream: true, readyState: 0, opened: false, close: () => controller.abort(), channels: new Set(this.channels) };
        this.socket = stream;
        if (this.state !== 'open') this.#setState(this.attempt === 0 ? 'connecting' : 'reconnecting');
        const url = streamUrlOf(this.options.urls[this.urlIndex % this.options.urls.length]);
        for (const channel of stream.channels) url.searchParams.append('channel', channel);
        const user = await this.#routingUser();
        if (user) url.searchParams.set('user', user);
        const headers = { Accept: 'text/event-stream' };
        if (this.options.token) headers.Authorization = `Bearer ${await this.#token()}`;
        const resumeFrom = this.#eventId();
        if (resumeFrom) headers['Last-Event-ID'] = resumeFrom;
        let response;
        try {
            response = await this.fetchImpl(url, { headers, signal: controller.signal, cache: 'no-store' });
        } catch {
            this.#onClose(stream, 1006, 'event stream failed');
            return;
        }
        if (!response.ok) {
            const refusal = await response.json().catch(() => ({}));
            this.#emit('error', { code: refusal.code || 'HTTP_' + response.status, message: refusal.message || response.statusText });
            // As a socket's refused token (4003) or ban (4006): final. Anything else is worth another try.
            this.#onClose(stream, response.status === 401 ? 4003 : response.status === 403 ? 4006 : 1006, refusal.message || '');
            return;
        }
        if (this.socket !== stream) return stream.close(); // replaced meanwhile
        stream.readyState = 1;
        stream.awaiting = new Set(stream.channels); // 'ready' once each has been answered
        this.#opened(stream);
        if (!stream.awaiting.size) this.#emit('ready', []);
        this.#scheduleStreamRefresh(stream);
        const changed = this.channels.size !== stream.channels.size || [...this.channels].some((c) => !stream.channels.has(c));
        if (changed) this.#reopenStream(); // subscribed or unsubscribed while this stream was opening
        this.#readStream(stream, response.body).then(
            () => this.#onClose(stream, 1006, 'event stream ended'),
            () => this.#onClose(stream, 1006, 'event stream failed'));
    }

    /** Reads events until the stream ends; a stream silent for streamTimeoutMs is given up. */
    async #readStream(stream, body) {
        const reader = body.pipeThrough(new TextDecoderStream()).getReader();
        let watchdog;
        const watch = () => {
            clearTimeout(watchdog);
            watchdog = setTimeout(() => this.#onClose(stream, 4000, 'event stream silent'), this.options.streamTimeoutMs);
        };
        let buffer = '';
        let data = [];
        try {
            for (watch(); ;) {
                const { value, done } = await reader.read();
                if (done || this.socket !== stream) return;
                watch();
                buffer += value;
                const lines = buffer.split(/\r\n|\r|\n/);
                buffer = lines.pop(); // an incomplete last line waits for the rest
                for (const line of lines) {
                    if (line === '') { // an event is complete
                        if (data.length) this.#onFrame(data.join('\n'));
                        data = [];
                        if (this.socket !== stream) return;
                    } else if (line.startsWith('data:')) {
                        data.push(line.slice(line[5] === ' ' ? 6 : 5));
                    } // the id is the client's positions (#eventId), which the messages' own fields keep up to
                    // date; comments (keep-alives) are only signs of life
                }
            }
        } finally {
            clearTimeout(watchdog);
            reader.cancel().catch(() => {});
        }
    }

    /** Frames only an event stream sends: a subscription's answer, its refusal, and the end of the stream. */
    #onStreamFrame(frame) {
        if (frame.type === 'subscribed' && frame.channel) {
            const recovered = frame.recovered !== false;
            if (frame.epoch !== undefined && this.channels.has(frame.channel) && (!this.positions.has(frame.channel) || !recovered)) {
                this.positions.set(frame.channel, { epoch: frame.epoch, offset: frame.offset });
            }
            if (!recovered) this.#emit('unrecovered', frame.channel);
            this.#streamAnswered(frame.channel, null, frame);
            return true;
        }
        if (frame.type === 'error' && frame.channel) {
            const remembered = !this.streamWaits.has(frame.channel); // no subscribe() waits: a resubscribe
            this.channels.delete(frame.channel);
            this.positions.delete(frame.channel);
            if (remembered) this.#emit('resubscribeFailed', { channel: frame.channel, error: frame });
            this.#streamAnswered(frame.channel, frame);
            return true;
        }
        if (frame.type === 'closed') {
            this.#onClose(this.socket, frame.code, frame.reason);
            return true;
        }
        return false;
    }

    /**
     * The event id to resume from: where the client stands on every channel with history, as the server's
     * ids spell it (channel!epoch!offset, comma-separated). Kept from the messages themselves, so it also
     * carries a client over from a socket to a stream.
     */
    #eventId() {
        return [...this.positions].map(([channel, p]) => `${channel}!${p.epoch}!${p.offset}`).join(',');
    }

    /** A channel of the stream was answered: its waiting subscribe() settles, and 'ready' once all have been. */
    #streamAnswered(channel, error, reply) {
        for (const waiting of this.streamWaits.get(channel) || []) {
            clearTimeout(waiting.timer);
            error ? waiting.reject(error) : waiting.resolve(reply);
        }
        this.streamWaits.delete(channel);
        this.#settleOpenWaits(channel, error, reply);
        const awaiting = this.socket?.awaiting;
        if (awaiting?.delete(channel) && !awaiting.size) this.#emit('ready', [...this.channels]);
    }

    /**
     * A subscribe over an event stream: answered by the open stream if it carries the channel already (at
     * once if it has answered for it), else the stream is reopened with the channel, and its answer settles this.
     */
    #streamSubscribe(channel) {
        const stream = this.socket;
        if (stream?.readyState === 1 && stream.channels.has(channel) && !stream.awaiting.has(channel)) {
            return Promise.resolve({ type: 'subscribed', channel });
        }
        return new Promise((resolve, reject) => {
            const timer = setTimeout(() => {
                this.streamWaits.set(channel, (this.streamWaits.get(channel) || []).filter((w) => w.timer !== timer));
                reject({ code: 'TIMEOUT', message: `no answer to subscribe within ${this.options.requestTimeoutMs} ms` });
            }, this.options.requestTimeoutMs);
            this.streamWaits.set(channel, [...(this.streamWaits.get(channel) || []), { resolve, reject, timer }]);
            if (stream?.readyState === 1 && !stream.channels.has(channel)) this.#reopenStream();
        });
    }

    /** Opens the stream again (its channels changed, or its token is about to expire); coalesced per task. */
    #reopenStream() {
        if (this.reopening || this.socket?.readyState !== 1) return; // one not open yet will carry the channels
        this.reopening = true;
        queueMicrotask(() => {
            this.reopening = false;
            const old = this.socket;
            if (old?.readyState !== 1 || this.closedByUser) return;
            this.socket = null; // its end is not a close: the new stream takes over
            old.close();
            this.#openStream();
        });
    }

    /** A stream ends when its token expires: a minute before, it is reopened with a fresh one. */
    #scheduleStreamRefresh(stream) {
        clearTimeout(this.refreshTimer);
        if (!this.options.token) return;
        this.#token().then((token) => {
            const expiresAt = (claimsOf(token).exp || 0) * 1000;
            if (expiresAt && this.socket === stream) {
                this.refreshTimer = setTimeout(() => this.#reopenStream(), Math.max(1_000, expiresAt - Date.now() - 60_000));
            }
        }, () => {});
    }

    /** A publish over REST with the user's own token: the same rules as a socket's publish. */
    async #publishRest(frame, options) {
        if (!this.options.token) throw { code: 'UNAUTHORIZED', message: 'publishing over SSE needs a token' };
        const base = apiUrlOf(this.options.urls[this.urlIndex % this.options.urls.length]);
        const query = new URLSearchParams();
        if (options.priority) query.set('priority', options.priority);
        if (options.key) query.set('key', options.key);
        const url = `${base}/channels/${encodeURIComponent(frame.channel)}/messages${query.size ? '?' + query : ''}`;
        let response;
        try {
            response = await this.fetchImpl(url, { method: 'POST', body: JSON.stringify(frame.data), headers: {
                'Content-Type': 'application/json', Authorization: `Bearer ${await this.#token()}`, 'Idempotency-Key': frame.idempotencyKey } });
        } catch (e) {
            throw { code: 'DISCONNECTED', message: `publish failed: ${e.message}` };
        }
        const reply = await response.json().catch(() => ({}));
        if (response.status !== 202) throw { code: reply.code || 'HTTP_' + response.status, message: reply.message || response.statusText };
        return reply.id;
    }

    #request(frame, timeoutMs = this.options.requestTimeoutMs) {
        if (this.socket?.isStream) {
            return Promise.reject({ code: 'NOT_SUPPORTED', message: `${frame.type} needs a WebSocket connection` });
        }
        return new Promise((resolve, reject) => {
            const authenticating = frame.type === 'connect' || frame.type === 'ping';
            if (!this.socket || this.socket.readyState !== 1 || (this.state !== 'open' && !authenticating)) {
                // Requests need a connection that has been accepted (its token too); subscriptions are
                // remembered and sent on (re)connect (#subscribe).
                reject({ code: 'DISCONNECTED', message: 'not connected' });
                return;
            }
            const id = this.nextId++;
            const timer = setTimeout(() => {
                this.pending.delete(id);
                reject({ code: 'TIMEOUT', message: `no reply to ${frame.type} within ${timeoutMs} ms` });
            }, timeoutMs);
            this.pending.set(id, { resolve, reject, timer });
            this.socket.send(JSON.stringify({ ...frame, id }));
        });
    }

    #startHeartbeat() {
        this.#stopHeartbeat();
        this.heartbeat = setInterval(() => {
            const socket = this.socket;
            this.#request({ type: 'ping' }, this.options.pongTimeoutMs).catch((e) => {
                // No pong in time: the connection is dead even if the socket does not know it yet.
                // Give up on it now; a close handshake with a dead peer could take minutes.
                if (e.code === 'TIMEOUT' && socket === this.socket) {
                    try { socket.close(4000, 'no pong'); } catch { /* already closing */ }
                    this.#onClose(socket, 4000, 'no pong');
                }
            });
        }, this.options.heartbeatMs);
    }

    #stopHeartbeat() {
        clearInterval(this.heartbeat);
    }
}
