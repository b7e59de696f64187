// Opens the demo page in headless Chromium: subscribe, publish, see the message in the list; and a
// message published elsewhere (REST, the other node) shows up too.
//   node demo-check.mjs DEMO_NODE_HTTP OTHER_NODE_HTTP SCREENSHOT
import { checkPage } from './browser.mjs';

const [base, other, screenshot] = process.argv.slice(2);
await checkPage(screenshot, { width: 900, height: 600 }, async (page) => {
    await page.goto(`${base}/demo/?user=browser`);
    await page.waitForSelector('#state.open', { timeout: 30_000 });
    await page.fill('#subscribe input[name=channel]', 'chat.demo');
    await page.click('#subscribe button');
    await page.waitForFunction(() => document.getElementById('status').textContent.startsWith('subscribed'), null, { timeout: 15_000 });
    await page.fill('#publish input[name=text]', 'hello from the browser');
    await page.click('#publish button');
    await page.waitForSelector('#messages li:has-text("hello from the browser")', { timeout: 15_000 });
    console.log('published from the page and received it');
    const response = await fetch(`${other}/api/channels/chat.demo/messages`, {
        method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${process.env.WSCLUSTER_API_KEY}` }, body: JSON.stringify('hello from the other node') });
    if (response.status !== 202) throw new Error(`publish on the other node: ${response.status}`);
    await page.waitForSelector('#messages li:has-text("hello from the other node")', { timeout: 15_000 });
    console.log('received a message published on the other node');
});
