// Shared by the page checks: runs `check(page)` in headless Debian Chromium, always saves a screenshot,
// prints what happened and exits 0 on success, 1 on failure.
import { chromium } from 'playwright-core';

export async function checkPage(screenshot, viewport, check) {
    const browser = await chromium.launch({
        executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
        // No background traffic: this machine reaches nothing but its own pages.
        args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
            '--disable-component-update', '--disable-sync'],
    });
    let ok = false;
    const page = await browser.newPage({ viewport });
    try {
        await check(page);
        ok = true;
    } catch (e) {
        console.log('FAILED:', e.message);
    } finally {
        await page.screenshot({ path: screenshot, fullPage: true });
        console.log('screenshot', screenshot);
        await browser.close();
    }
    process.exit(ok ? 0 : 1);
}
