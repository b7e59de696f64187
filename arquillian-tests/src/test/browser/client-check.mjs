// Exercises the JavaScript client library, installed from its npm package, against two running nodes
// (ClientLibraryIT packs client-js/, installs the tarball beside a copy of this script and runs it there):
//   node --experimental-websocket client-check.mjs NODE1_HTTP NODE2_HTTP
// Connects to node 2 first, subscribes, receives, publishes; then drains node 2 and checks that the
// client reconnects to node 1 by itself, resubscribes, and receives again; and that unsubscribe works.
// Every wait is bounded; exit code 0 on success.
import { WsclusterClient } from 'wscluster-client';

const [node1, node2] = process.argv.slice(2);
const ws = (http) => http.replace(/^http/, 'ws') + '/ws';
const messages = [];
const events = [];
const log = (...args) => console.log(new Date().toISOString().slice(11, 23), ...args);

function until(condition, what, timeoutMs = 20_000) {
    return new Promise((resolve, reject) => {
        const start = Date.now();
        const check = setInterval(() => {
            if (condition()) { clearInterval(check); resolve(Date.now() - start); }
            else if (Date.now() - start > timeoutMs) { clearInterval(check); reject(new Error(`timed out waiting for ${what}`)); }
        }, 20);
    });
}

async function publishRest(node, channel, data) {
    const response = await fetch(`${node}/api/channels/${channel}/messages`, {
        method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${process.env.WSCLUSTER_API_KEY}` }, body: JSON.stringify(data) });
    if (response.status !== 202) throw new Error(`publish: ${response.status}`);
    return (await response.json()).id;
}

const received = (id) => messages.some((m) => m.id === id);

const client = new WsclusterClient({ urls: [ws(node2), ws(node1)], user: 'libuser', initialBackoffMs: 100,
    heartbeatMs: 1_000, pongTimeoutMs: 3_000 });
client.on('message', (m) => messages.push(m));
client.on('state', (s) => { events.push(['state', s]); log('state', s); });
client.on('reconnect', (r) => { events.push(['reconnect', r.code]); log('reconnect after close', r.code, 'in', r.delayMs, 'ms'); });
try {
    client.connect();
    await client.subscribe('news');
    const viaRest = await publishRest(node1, 'news', { n: 1 });
    await until(() => received(viaRest), 'a message published on the other node');
    const viaClient = await client.publish('news', { n: 2 });
    await until(() => received(viaClient), 'its own message');
    log('subscribed, received over REST and its own publish');

    const drainedAt = Date.now();
    const drain = await fetch(`${node2}/api/admin/drain`, { method: 'POST', headers: { Authorization: `Bearer ${process.env.WSCLUSTER_ADMIN_TOKEN}` } });
    if (drain.status !== 202) throw new Error(`drain: ${drain.status}`);
    await until(() => events.some(([kind, v]) => kind === 'reconnect' && v === 1012), 'the drain close (1012)');
    // Resubscription happens by itself; publish until a message arrives (bounded by until()).
    let afterReconnect = null;
    await until(() => {
        if (afterReconnect && received(afterReconnect)) return true;
        if (client.state === 'open') publishRest(node1, 'news', { n: 3 }).then((id) => { afterReconnect = id; }, () => {});
        return false;
    }, 'a message after reconnecting', 30_000);
    log(`reconnected to node 1 and resubscribed: receiving again ${Date.now() - drainedAt} ms after the drain began`);

    await client.unsubscribe('news');
    await client.subscribe('alerts');
    const notForUs = await publishRest(node1, 'news', { n: 4 });
    const marker = await publishRest(node1, 'alerts', { n: 5 });
    await until(() => received(marker), 'the marker on alerts');
    if (received(notForUs)) throw new Error('received a message after unsubscribing');
    log('unsubscribe works');
    client.close();
    process.exit(0);
} catch (e) {
    log('FAILED:', e.message, JSON.stringify(e));
    process.exit(1);
}
