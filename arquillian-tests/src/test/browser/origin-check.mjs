// Cross-site WebSocket hijacking, tried by a real browser: pages from three origins open a WebSocket to
// the node; only the node's own origin and the configured one may.
//   node origin-check.mjs NODE_URL OTHER_PORT ALLOWED_PORT SCREENSHOT
// Serves a blank page on 127.0.0.1:OTHER_PORT (a foreign origin) and on 127.0.0.1:ALLOWED_PORT (the origin
// the node allows, wscluster.handshake.allowed-origins). Exit code 0 when the outcomes are as expected.
import { createServer } from 'node:http';
import { checkPage } from './browser.mjs';

const [node, otherPort, allowedPort, screenshot] = process.argv.slice(2);
const wsUrl = node.replace(/^http/, 'ws') + '/ws';
const servers = [otherPort, allowedPort].map((port) => createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end('<!doctype html><title>page</title><p id="result"></p>');
}).listen(Number(port), '127.0.0.1'));

// Opens a WebSocket from the page; resolves 'open' or 'refused' (the handshake failed: close 1006).
const tryConnect = (page) => page.evaluate((url) => new Promise((resolve) => {
    const ws = new WebSocket(url);
    ws.onopen = () => { ws.close(); resolve('open'); };
    ws.onclose = (e) => resolve(e.code === 1006 ? 'refused' : 'closed ' + e.code);
    document.getElementById('result')?.append(url);
}), wsUrl);

try {
    await checkPage(screenshot, { width: 800, height: 400 }, async (page) => {
        const outcomes = {};
        await page.goto(`http://127.0.0.1:${otherPort}/`);
        outcomes.foreign = await tryConnect(page);
        await page.goto(`http://127.0.0.1:${allowedPort}/`);
        outcomes.allowed = await tryConnect(page);
        await page.goto(`${node}/demo/`);
        outcomes.same = await tryConnect(page);
        console.log('outcomes', JSON.stringify(outcomes));
        if (outcomes.foreign !== 'refused' || outcomes.allowed !== 'open' || outcomes.same !== 'open') {
            throw new Error('expected foreign refused, allowed and same-origin open');
        }
    });
} finally {
    servers.forEach((s) => s.close());
}
