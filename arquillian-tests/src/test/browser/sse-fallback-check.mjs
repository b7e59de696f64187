// The JavaScript client in headless Chromium behind a proxy that breaks WebSocket, as some corporate proxies
// do: it falls back to Server-Sent Events, receives, publishes with its user's token, stays connected through
// a quiet spell longer than HAProxy's 30 s timeouts, and after the network drops, resumes with what it missed,
// once each, in order.
//   node sse-fallback-check.mjs ENTRY_HTTP PROXY_PORT USER_TOKEN SCREENSHOT
// The proxy (here, on 127.0.0.1:PROXY_PORT) serves the test page itself, passes every other request on to
// ENTRY_HTTP (HAProxy), and refuses every WebSocket upgrade with 403.
import http from 'node:http';
import { checkPage } from './browser.mjs';

const [entry, proxyPort, token, screenshot] = process.argv.slice(2);
const target = new URL(entry);
const log = (...args) => console.log(new Date().toISOString().slice(11, 23), ...args);

let networkUp = true;
let upgradesRefused = 0;
const streams = new Set(); // open event streams: [client response, upstream response]
const proxy = http.createServer((request, response) => {
    if (request.url === '/fallback.html') {
        response.writeHead(200, { 'Content-Type': 'text/html' });
        response.end('<!doctype html><meta charset="utf-8"><title>SSE fallback</title><pre id="log">fallback check</pre>');
        return;
    }
    if (!networkUp) {
        request.socket.destroy();
        return;
    }
    const upstream = http.request({ host: target.hostname, port: target.port, path: request.url, method: request.method,
        headers: { ...request.headers, host: target.host } }, (answer) => {
        response.writeHead(answer.statusCode, answer.headers);
        answer.pipe(response);
        if (request.url.startsWith('/sse')) {
            const pair = [response, answer];
            streams.add(pair);
            response.on('close', () => streams.delete(pair));
        }
    });
    upstream.on('error', () => response.destroy());
    request.pipe(upstream);
});
proxy.on('upgrade', (request, socket) => {
    upgradesRefused++;
    socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
});
await new Promise((resolve) => proxy.listen(Number(proxyPort), '127.0.0.1', resolve));

async function publish(channel, data) {
    const response = await fetch(`${entry}/api/channels/${channel}/messages`, { method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${process.env.WSCLUSTER_API_KEY}` }, body: JSON.stringify(data) });
    if (response.status !== 202) throw new Error(`publish: ${response.status} ${await response.text()}`);
    return (await response.json()).id;
}

async function received(page, ids, timeout = 20_000) {
    await page.waitForFunction((wanted) => wanted.every((id) => window.got.some((m) => m.id === id)), ids, { timeout });
}

await checkPage(screenshot, { width: 800, height: 400 }, async (page) => {
    await page.goto(`http://127.0.0.1:${proxyPort}/fallback.html`);
    await page.evaluate(async (userToken) => {
        const { WsclusterClient } = await import('/client/wscluster.js');
        window.got = [];
        window.events = [];
        const client = new WsclusterClient({ urls: [`ws://${location.host}/ws`], token: userToken, initialBackoffMs: 100, maxBackoffMs: 1_000 });
        client.on('message', (m) => { window.got.push(m); document.getElementById('log').textContent += `\n${m.channel} ${JSON.stringify(m.data)}`; });
        for (const event of ['transport', 'state', 'reconnect', 'unrecovered', 'error']) {
            client.on(event, (value) => window.events.push([event, value?.code ?? value]));
        }
        window.client = client;
        client.connect();
        try {
            await client.subscribe('chat.fallback');
        } catch (e) {
            throw new Error(`subscribe: ${e instanceof Error ? e.message : JSON.stringify(e)}; events ${JSON.stringify(window.events)}`);
        }
    }, token);
    const transports = await page.evaluate(() => window.events.filter(([e]) => e === 'transport').map(([, t]) => t));
    if (transports.join() !== 'sse' || upgradesRefused < 1) throw new Error(`transports ${transports}, upgrades refused ${upgradesRefused}`);
    log(`WebSocket refused ${upgradesRefused} time(s); subscribed over SSE`);

    await received(page, [await publish('chat.fallback', { n: 'rest' })]);
    const own = await page.evaluate(() => window.client.publish('chat.fallback', { n: 'own' }));
    await received(page, [own]);
    log('received a REST publish and its own, published over REST with the user token');

    // Quiet for longer than HAProxy's client and server timeouts: the keep-alive comments hold the stream.
    const quietFrom = await page.evaluate(() => window.events.length);
    await new Promise((resolve) => setTimeout(resolve, 35_000));
    await received(page, [await publish('chat.fallback', { n: 'after quiet' })]);
    const duringQuiet = await page.evaluate((from) => window.events.slice(from), quietFrom);
    if (duringQuiet.some(([e]) => e === 'reconnect')) throw new Error(`the stream broke while quiet: ${JSON.stringify(duringQuiet)}`);
    log('35 s quiet through HAProxy: the same stream still delivers');

    // The network drops: every stream is cut and nothing gets through for a while; messages go on meanwhile.
    networkUp = false;
    for (const [response, answer] of streams) {
        response.destroy();
        answer.destroy();
    }
    await page.waitForFunction(() => window.events.some(([e]) => e === 'reconnect'), null, { timeout: 10_000 });
    const missed = [];
    for (let i = 0; i < 5; i++) missed.push(await publish('chat.fallback', { n: `missed ${i}` }));
    networkUp = true;
    await received(page, missed, 30_000);
    const ids = await page.evaluate(() => window.got.map((m) => m.id));
    const order = missed.map((id) => ids.indexOf(id));
    if (order.some((at, i) => i > 0 && at < order[i - 1])) throw new Error(`out of order: ${order}`);
    if (new Set(ids).size !== ids.length) throw new Error('a message arrived twice');
    const unrecovered = await page.evaluate(() => window.events.filter(([e]) => e === 'unrecovered'));
    if (unrecovered.length) throw new Error(`unrecovered: ${JSON.stringify(unrecovered)}`);
    const transport = await page.evaluate(() => window.client.transport);
    log(`after the drop: the 5 missed messages once each, in order, over ${transport}`);
    proxy.close();
    proxy.closeAllConnections?.();
});
