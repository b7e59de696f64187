// A stand-in for a wscluster node in unit tests: a WebSocket class whose server side answers the client's
// frames as PROTOCOL.md says (overridable per frame type), and lets a test push frames or drop the connection.

/** A JWT the client can read (it never verifies one; the server does). */
export function token(claims) {
    const part = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
    return `${part({ alg: 'HS256' })}.${part(claims)}.signature`;
}

/** The first value `event` emits, or a rejection after `ms`. */
export function next(client, event, ms = 2_000) {
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => { off(); reject(new Error(`no '${event}' within ${ms} ms`)); }, ms);
        const off = client.on(event, (value) => { clearTimeout(timer); off(); resolve(value); });
    });
}

export class FakeServer {
    constructor() {
        this.sockets = [];
        this.answers = {
            connect: (frame) => ({ type: 'connected', user: 'alice', expiresAt: Date.now() + 3_600_000 }),
            subscribe: (frame) => ({ type: 'subscribed', channel: frame.channel, epoch: 'e1', offset: frame.since?.offset ?? 0,
                ...(frame.since ? { recovered: true } : {}) }),
            unsubscribe: (frame) => ({ type: 'unsubscribed', channel: frame.channel }),
            publish: (frame) => ({ type: 'published', messageId: 'node-1-x-' + frame.id }),
            ping: () => ({ type: 'pong' }),
        };
        const server = this;
        /** What the client constructs; each instance is one connection to this server. */
        this.WebSocket = class {
            constructor(url) {
                this.url = url;
                this.readyState = 0;
                this.received = [];
                server.sockets.push(this);
                setTimeout(() => server.refuse ? this.drop(1006) : this.#open(), 0);
            }
            #open() {
                this.readyState = 1;
                this.onopen?.();
            }
            send(text) {
                const frame = JSON.parse(text);
                this.received.push(frame);
                const answer = server.answers[frame.type]?.(frame, this);
                if (answer) {
                    const reply = answer.type === 'error' ? { ...answer, ref: frame.id } : { ...answer, id: frame.id };
                    setTimeout(() => this.push(reply), 0);
                }
            }
            close(code = 1005, reason = '') {
                if (this.readyState === 3) return;
                this.readyState = 3;
                setTimeout(() => this.onclose?.({ code, reason }), 0);
            }
            /** The server sends a frame. */
            push(frame) {
                if (this.readyState === 1) this.onmessage?.({ data: JSON.stringify(frame) });
            }
            /** The connection ends from the server's side (1006: it died). */
            drop(code = 1006, reason = '') {
                this.readyState = 3;
                this.onclose?.({ code, reason });
            }
        };
    }

    /** The latest connection. */
    get socket() {
        return this.sockets[this.sockets.length - 1];
    }

    /** Frames of one type the latest connection received. */
    frames(type) {
        return this.socket.received.filter((f) => f.type === type);
    }
}
