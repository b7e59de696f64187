// wscluster JavaScript client: an ES module with no dependencies and no build step, for browsers and
// Node (20+: pass `WebSocket` from a library, or run with --experimental-websocket; 22+ has it built in).
// Served by every node at /client/wscluster.js.
//
//   import { WsclusterClient } from '/client/wscluster.js';
//   const client = new WsclusterClient({ urls: ['wss://chat.example.com/ws'], token: () => fetchTokenFromMyApp() });
//   client.on('message', (m) => console.log(m.channel, m.data));
//   client.on('state', (s) => console.log('now', s));
//   client.on('ready', (channels) => console.log('subscribed again to', channels));
//   client.connect();
//   await client.subscribe('news');
//   const id = await client.publish('news', { text: 'hi' });
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
};

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
     * @param {object} options urls (array of ws:// or wss:// endpoint URLs, tried in turn), token (or user,
     *   in development), and optionally WebSocket (an implementation; defaults to the global one) and the
     *   timing fields of DEFAULTS.
     */
    constructor(options) {
        this.options = { ...DEFAULTS, ...options };
        if (!this.options.urls?.length || !(this.options.user || this.options.token)) {
            throw new Error('urls and a token (or user) are required');
        }
        this.WebSocketImpl = options.WebSocket || globalThis.WebSocket;
        if (!this.WebSocketImpl) {
            throw new Error('no WebSocket implementation: pass options.WebSocket');
        }
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
     * @param {'message'|'state'|'error'|'reconnect'|'ready'|'unrecovered'|'join'|'leave'|'subscribed'|'unsubscribed'|'refreshed'|'disconnected'} event
     *   'ready' fires each time the connection is open and every remembered channel's subscription has been
     *   answered (after connect and every reconnect); 'unrecovered' with a channel whose missed messages could
     *   not all be replayed. The server API's acts: 'subscribed' and 'unsubscribed' ({ channel, server: true }:
     *   a channel the server put this user on, or took it off; the first is not resubscribed after a reconnect,
     *   the second is forgotten), 'refreshed' ({ expiresAt }), and 'disconnected' ({ code, reason }) when the
     *   server closed the connection for good (a disconnect or ban; the client does not reconnect).
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
        return this.#request({ type: 'unsubscribe', channel });
    }

    /**
     * Resolves with the message id. options.priority may be 'high'; options.key names what the message is
     * about (for latest-per-key channels); options.idempotencyKey (one is made up when not given) makes a
     * retry of a publish whose reply was lost safe: the message is delivered once.
     */
    async publish(channel, data, options = {}) {
        const frame = { type: 'publish', channel, data, idempotencyKey: options.idempotencyKey ?? newKey() };
        if (options.priority) frame.priority = options.priority;
        if (options.key) frame.key = options.key;
        return (await this.#request(frame)).messageId;
    }

    /** Resolves with who is subscribed to a channel that tracks presence: { count, users, complete, members }. */
    presence(channel) {
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

    async #open() {
        const base = this.options.urls[this.urlIndex % this.options.urls.length];
        let user = this.options.user;
        if (!user && this.options.token) {
            // The user as a routing hint, so the balancer sends this client to the node it was on.
            user = claimsOf(await this.#token().catch(() => '') || '').sub;
        }
        const url = user ? `${base}${base.includes('?') ? '&' : '?'}user=${encodeURIComponent(user)}` : base;
        this.#setState(this.attempt === 0 ? 'connecting' : 'reconnecting');
        const socket = new this.WebSocketImpl(url);
        this.socket = socket;
        socket.onopen = async () => {
            this.attempt = 0;
            this.#startHeartbeat();
            if (this.options.token) {
                try {
                    await this.#authenticate(socket, 'connect');
                } catch (e) {
                    this.#emit('error', e);
                    return; // the server closes the connection (4003)
                }
            }
            this.#setState('open');
            // Resubscribe everything; a failure here is reported, not fatal. 'ready' follows once all are answered.
            const resubscribed = [...this.channels].map((channel) =>
                this.#subscribe(channel).catch((e) => this.#emit('error', e)));
            Promise.all(resubscribed).then(() => { if (this.socket === socket) this.#emit('ready', [...this.channels]); });
        };
        socket.onmessage = (event) => this.#onFrame(event.data);
        socket.onclose = (event) => this.#onClose(socket, event.code, event.reason);
        socket.onerror = () => { /* a close event follows */ };
    }

    /** Subscribes from the last position, where the channel keeps history. */
    #subscribe(channel) {
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
        this.urlIndex++;
        this.#setState('reconnecting');
        this.#emit('reconnect', { code, reason, delayMs: Math.round(delay), attempt: this.attempt });
        this.reconnectTimer = setTimeout(() => this.#open(), delay);
    }

    #request(frame, timeoutMs = this.options.requestTimeoutMs) {
        return new Promise((resolve, reject) => {
            const authenticating = frame.type === 'connect' || frame.type === 'ping';
            if (!this.socket || this.socket.readyState !== 1 || (this.state !== 'open' && !authenticating)) {
                // Subscriptions are remembered and sent on (re)connect; other requests need a connection
                // that has been accepted (its token too).
                if (frame.type === 'subscribe') {
                    this.#whenOpen().then(() => this.#request(frame)).then(resolve, reject);
                } else {
                    reject({ code: 'DISCONNECTED', message: 'not connected' });
                }
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

    #whenOpen() {
        return new Promise((resolve) => {
            const off = this.on('state', (s) => { if (s === 'open') { off(); resolve(); } });
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
