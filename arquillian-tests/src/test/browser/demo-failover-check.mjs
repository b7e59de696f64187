// The demo page through HAProxy survives the death of its node: it receives a published message, its node
// is killed (SIGKILL, by the PID cluster.sh recorded), and it receives the next message after reconnecting
// through HAProxy to the surviving node and resubscribing.
//   node demo-failover-check.mjs ENTRY_HTTP RUN_DIR SCREENSHOT
import { readFileSync } from 'node:fs';
import { checkPage } from './browser.mjs';

const [entry, runDir, screenshot] = process.argv.slice(2);
const user = 'browser-failover';
const channel = 'chat.failover';

async function publish(text) {
    const response = await fetch(`${entry}/api/channels/${channel}/messages`, {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(text) });
    if (response.status !== 202) throw new Error(`publish through HAProxy: ${response.status}`);
}

await checkPage(screenshot, { width: 900, height: 600 }, async (page) => {
    await page.goto(`${entry}/demo/?user=${user}`);
    await page.waitForSelector('#state.open', { timeout: 30_000 });
    await page.fill('#subscribe input[name=channel]', channel);
    await page.click('#subscribe button');
    await page.waitForFunction(() => document.getElementById('status').textContent.startsWith('subscribed'), null, { timeout: 15_000 });
    await publish('before the kill');
    await page.waitForSelector('#messages li:has-text("before the kill")', { timeout: 15_000 });

    const affinity = await (await fetch(`${entry}/api/affinity/${user}`)).json();
    const pid = Number(readFileSync(`${runDir}/${affinity.node}/pid`, 'utf8').trim());
    const killedAt = Date.now();
    process.kill(pid, 'SIGKILL');
    console.log(`killed ${affinity.node} (pid ${pid}), the page's node`);

    // Publish until the page shows it: it must reconnect through HAProxy and resubscribe first. Bounded.
    for (let n = 1; ; n++) {
        await publish(`after the kill ${n}`);
        const shown = await page.waitForSelector(`#messages li:has-text("after the kill ${n}")`, { timeout: 500 })
            .then(() => true, () => false);
        if (shown) break;
        if (Date.now() - killedAt > 30_000) throw new Error('no message reached the page within 30 s of the kill');
    }
    await page.waitForSelector('#state.open', { timeout: 5_000 });
    console.log(`received a message ${Date.now() - killedAt} ms after the kill of its node`);
});
