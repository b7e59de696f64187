// Opens the dashboard in headless Chromium and checks it against a running cluster:
//   node dashboard-check.mjs BASE_URL SCREENSHOT NODE_ID[,NODE_ID...]
// Waits (bounded) until every node is listed READY and the delivered rate moves while the caller
// drives traffic, then saves a screenshot. Exit code 0 on success; prints what it saw either way.
import { checkPage } from './browser.mjs';

const [base, screenshot, ids] = process.argv.slice(2);
const nodes = ids.split(',');
await checkPage(screenshot, { width: 1400, height: 900 }, async (page) => {
    await page.goto(`${base}/dashboard/#token=${process.env.WSCLUSTER_ADMIN_TOKEN}`);
    for (const id of nodes) {
        await page.waitForSelector(`#nodes tr[data-node="${id}"] .state.READY`, { timeout: 60_000 });
    }
    console.log('listed', nodes.join(', '), 'as READY');
    const before = await page.textContent('#total-delivered');
    await page.waitForFunction((initial) => {
        const now = document.querySelector('#total-delivered').textContent;
        return now !== initial && Number(now.replace(/,/g, '')) > 0;
    }, before, { timeout: 60_000 });
    console.log('delivered/s moved from', before, 'to', await page.textContent('#total-delivered'));
    await page.waitForSelector('#chart-delivered polyline', { state: 'attached', timeout: 30_000 });
    await page.waitForSelector('#channels tr[data-channel="room.dash"]', { timeout: 30_000 });
    console.log('charts drawn, channel room.dash listed with', await page.textContent('#channels tr[data-channel="room.dash"] td.num'), 'subscriber(s)');
});
