// The demo page (the JavaScript client in Chromium) through HAProxy survives the death of its node and misses
// nothing: a publisher publishes numbered messages through HAProxy, one at a time, before, during and after
// the kill of the page's node (SIGKILL, by the PID cluster.sh recorded); the page reconnects through HAProxy
// to the surviving node, resubscribes from its position (chat.* keeps history), and must end up showing every
// acknowledged message exactly once, in order, without an 'unrecovered' notice.
//   node demo-failover-check.mjs ENTRY_HTTP RUN_DIR SCREENSHOT
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { checkPage } from './browser.mjs';

const [entry, runDir, screenshot] = process.argv.slice(2);
const user = 'browser-failover';
const channel = 'chat.failover';

async function publish(text) {
    const response = await fetch(`${entry}/api/channels/${channel}/messages`, {
        method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${process.env.WSCLUSTER_API_KEY}` }, body: JSON.stringify(text),
        signal: AbortSignal.timeout(10_000) });
    if (response.status !== 202) throw new Error(`publish through HAProxy: ${response.status}`);
    return (await response.json()).id;
}

/** Publishes "n" one at a time, every 100 ms, at most 600; keeps the acknowledged ids in order. */
function steadyPublisher() {
    const acknowledged = [];
    let stopped = false;
    const done = (async () => {
        for (let n = 0; n < 600 && !stopped; n++) {
            try { acknowledged.push(await publish(`n ${n}`)); } catch { /* not acknowledged: need not arrive */ }
            await sleep(100); // pacing the rate
        }
    })();
    return { acknowledged, stop: async () => { stopped = true; await done; return acknowledged; } };
}

const shownIds = (page) => page.evaluate(() => [...document.querySelectorAll('#messages li')].map((li) => li.dataset.id).reverse());

await checkPage(screenshot, { width: 900, height: 600 }, async (page) => {
    await page.goto(`${entry}/demo/?user=${user}`);
    await page.waitForSelector('#state.open', { timeout: 30_000 });
    await page.fill('#subscribe input[name=channel]', channel);
    await page.click('#subscribe button');
    await page.waitForFunction(() => document.getElementById('status').textContent.startsWith('subscribed'), null, { timeout: 15_000 });
    const publisher = steadyPublisher();
    await page.waitForFunction((n) => document.querySelectorAll('#messages li').length >= n, 5, { timeout: 15_000 });

    const affinity = await (await fetch(`${entry}/api/affinity/${user}`, { headers: { Authorization: `Bearer ${process.env.WSCLUSTER_ADMIN_TOKEN}` } })).json();
    const pid = Number(readFileSync(`${runDir}/${affinity.node}/pid`, 'utf8').trim());
    const killedAt = Date.now();
    process.kill(pid, 'SIGKILL');
    console.log(`killed ${affinity.node} (pid ${pid}), the page's node`);

    await page.waitForSelector('#state.reconnecting', { timeout: 15_000 });
    await page.waitForSelector('#state.open', { timeout: 30_000 });
    const backAt = Date.now();
    const before = publisher.acknowledged.length;
    while (publisher.acknowledged.length < before + 10 && Date.now() - backAt < 30_000) await sleep(50);
    const acknowledged = await publisher.stop();
    await page.waitForFunction((ids) => { const shown = new Set([...document.querySelectorAll('#messages li')].map((li) => li.dataset.id));
        return ids.every((id) => shown.has(id)); }, acknowledged, { timeout: 30_000 });
    const wanted = new Set(acknowledged);
    const shown = (await shownIds(page)).filter((id) => wanted.has(id));
    if (JSON.stringify(shown) !== JSON.stringify(acknowledged)) {
        throw new Error(`not every acknowledged message once and in order: acknowledged ${acknowledged}, shown ${shown}`);
    }
    const status = await page.textContent('#status');
    if (status.includes('could not all be replayed')) throw new Error(status);
    console.log(`open again ${backAt - killedAt} ms after the kill; all ${acknowledged.length} acknowledged messages shown once, in order`);
});
