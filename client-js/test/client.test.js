import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WsclusterClient } from '../wscluster.js';
import { FakeServer, next, token } from './fake-server.js';

const FAST = { initialBackoffMs: 1, maxBackoffMs: 5, heartbeatMs: 60_000, requestTimeoutMs: 500 };
const URLS = ['ws://node-1.test/ws', 'ws://node-2.test/ws'];

/** A client of a fresh stand-in server (not yet connected), closed when the test ends. */
function connected(t, options = {}) {
    const server = new FakeServer();
    const c = new WsclusterClient({ urls: URLS, token: token({ sub: 'alice', exp: Date.now() / 1000 + 3600 }),
        WebSocket: server.WebSocket, transports: ['websocket'], ...FAST, ...options });
    t.after(() => c.close());
    return { server, c };
}

test('connects with its token first, routed by the token\'s user, and subscribes', async (t) => {
    const { server, c } = connected(t);
    const states = [];
    c.on('state', (s) => states.push(s));
    c.connect();
    const reply = await c.subscribe('news');
    assert.equal(reply.channel, 'news');
    assert.equal(server.socket.url, 'ws://node-1.test/ws?user=alice');
    assert.deepEqual(server.socket.received.map((f) => f.type), ['connect', 'subscribe']);
    assert.deepEqual(states, ['connecting', 'open']);
});

test('after its connection dies it reconnects to the next URL and resumes each channel from its last position', async (t) => {
    const { server, c } = connected(t);
    c.connect();
    await c.subscribe('chat');
    const got = [];
    c.on('message', (m) => got.push(m.data));
    server.socket.push({ type: 'message', channel: 'chat', id: 'm7', data: 7, ts: 1, epoch: 'e1', offset: 7 });
    assert.deepEqual(got, [7]);

    const reconnect = next(c, 'reconnect');
    const ready = next(c, 'ready');
    server.socket.drop(1006);
    assert.equal((await reconnect).code, 1006);
    assert.deepEqual(await ready, ['chat']);
    assert.equal(server.sockets.length, 2);
    assert.ok(server.socket.url.startsWith('ws://node-2.test/ws'));
    assert.equal(server.frames('connect').length, 1, 'a new connection authenticates again');
    assert.deepEqual(server.frames('subscribe')[0].since, { epoch: 'e1', offset: 7 });
    assert.deepEqual(c.positions.get('chat'), { epoch: 'e1', offset: 7 });
});

test('tells the application when a resume could not replay everything', async (t) => {
    const { server, c } = connected(t);
    c.connect();
    await c.subscribe('chat');
    server.socket.push({ type: 'message', channel: 'chat', id: 'm3', data: 3, ts: 1, epoch: 'e1', offset: 3 });
    server.answers.subscribe = (frame) => ({ type: 'subscribed', channel: frame.channel, epoch: 'e2', offset: 40, recovered: false });
    const unrecovered = next(c, 'unrecovered');
    server.socket.drop(1006);
    assert.equal(await unrecovered, 'chat');
    assert.deepEqual(c.positions.get('chat'), { epoch: 'e2', offset: 40 }, 'live messages continue from the new stream');
});

test('a remembered channel the server refuses after a reconnect is reported and forgotten', async (t) => {
    const { server, c } = connected(t);
    c.connect();
    await c.subscribe('news');
    await c.subscribe('secret');
    server.answers.subscribe = (frame) => frame.channel === 'secret'
        ? { type: 'error', code: 'PERMISSION_DENIED', message: 'not allowed' }
        : { type: 'subscribed', channel: frame.channel };
    const failed = next(c, 'resubscribeFailed');
    const ready = next(c, 'ready');
    server.socket.drop(1006);
    const { channel, error } = await failed;
    assert.equal(channel, 'secret');
    assert.equal(error.code, 'PERMISSION_DENIED');
    assert.deepEqual(await ready, ['news']);

    const again = next(c, 'ready');
    server.socket.drop(1006);
    await again;
    assert.deepEqual(server.frames('subscribe').map((f) => f.channel), ['news'], 'the refused channel is not asked for again');
});

test('a remembered channel whose resubscribe timed out is kept for the next connection', async (t) => {
    const { server, c } = connected(t);
    c.connect();
    await c.subscribe('news');
    server.answers.subscribe = () => null; // no answer
    const error = next(c, 'error');
    server.socket.drop(1006);
    assert.equal((await error).code, 'TIMEOUT');
    server.answers.subscribe = (frame) => ({ type: 'subscribed', channel: frame.channel });
    const ready = next(c, 'ready');
    server.socket.drop(1006);
    assert.deepEqual(await ready, ['news']);
});

test('a disconnect by the server API is final: reported, and no reconnect', async (t) => {
    const { server, c } = connected(t);
    c.connect();
    await next(c, 'ready');
    const disconnected = next(c, 'disconnected');
    server.socket.drop(4100, 'logged out');
    assert.deepEqual(await disconnected, { code: 4100, reason: 'logged out' });
    assert.equal(c.state, 'closed');
    await new Promise((resolve) => setTimeout(resolve, 20)); // longer than the whole backoff: no new connection
    assert.equal(server.sockets.length, 1);
});

test('publish sends an idempotency key (one of its own unless given) and resolves with the message id', async (t) => {
    const { server, c } = connected(t);
    c.connect();
    await next(c, 'ready');
    const id = await c.publish('news', { text: 'hi' }, { key: 'k1', priority: 'high' });
    const [first] = server.frames('publish');
    assert.equal(id, 'node-1-x-' + first.id);
    assert.deepEqual(first.data, { text: 'hi' });
    assert.equal(first.key, 'k1');
    assert.equal(first.priority, 'high');
    assert.match(first.idempotencyKey, /^[0-9a-f-]{32,36}$/);
    await c.publish('news', 1, { idempotencyKey: 'mine' });
    assert.equal(server.frames('publish')[1].idempotencyKey, 'mine');
});

test('a request the server refuses rejects with its code; one it never answers with TIMEOUT', async (t) => {
    const { server, c } = connected(t);
    c.connect();
    await next(c, 'ready');
    server.answers.publish = () => ({ type: 'error', code: 'UNKNOWN_CHANNEL', message: 'no such channel: x' });
    await assert.rejects(c.publish('x', 1), { code: 'UNKNOWN_CHANNEL' });
    server.answers.presence = () => null;
    await assert.rejects(c.presence('x'), { code: 'TIMEOUT' });
});

test('a connection that stops answering pings is given up and replaced', async (t) => {
    const { server, c } = connected(t, { heartbeatMs: 20, pongTimeoutMs: 20 });
    c.connect();
    await next(c, 'ready');
    server.answers.ping = () => null;
    const reconnect = await next(c, 'reconnect');
    assert.equal(reconnect.code, 4000);
    assert.equal(reconnect.reason, 'no pong');
});

test('without a WebSocket it reads an event stream, with the token in a header and resuming by Last-Event-ID', async (t) => {
    const requests = [];
    const events = [
        'data: {"type":"subscribed","channel":"chat","epoch":"e1","offset":4}\n\n',
        ': keep-alive\n\n',
        'id: chat!e1!5\ndata: {"type":"message","channel":"chat","id":"m5","data":5,"ts":1,"epoch":"e1","offset":5}\n\n',
    ];
    const fetch = async (url, init) => {
        requests.push({ url: String(url), headers: init.headers });
        const body = new ReadableStream({
            start(controller) {
                if (requests.length === 1) events.forEach((e) => controller.enqueue(new TextEncoder().encode(e)));
                init.signal.addEventListener('abort', () => controller.error(new Error('aborted')));
            },
        });
        return new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
    };
    const c = new WsclusterClient({ urls: ['ws://node-1.test/ws'], token: token({ sub: 'bob', exp: Date.now() / 1000 + 3600 }),
        fetch, transports: ['sse'], ...FAST });
    t.after(() => c.close());
    const transport = next(c, 'transport');
    const message = next(c, 'message');
    c.subscribe('chat');
    c.connect();
    assert.equal(await transport, 'sse');
    assert.equal((await message).data, 5);
    const [first] = requests;
    assert.equal(first.url, 'http://node-1.test/sse?channel=chat&user=bob');
    assert.match(first.headers.Authorization, /^Bearer /);
    assert.equal(first.headers['Last-Event-ID'], undefined);

    const subscribed = c.subscribe('news'); // a new channel reopens the stream, resuming the other
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(requests.length, 2);
    assert.equal(requests[1].url, 'http://node-1.test/sse?channel=chat&channel=news&user=bob');
    assert.equal(requests[1].headers['Last-Event-ID'], 'chat!e1!5');
    subscribed.catch(() => {}); // never answered here
});
