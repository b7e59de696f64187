// The declarations cannot drift from the module: every public method and event of the one is in the other.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { WsclusterClient } from '../wscluster.js';

const dts = readFileSync(new URL('../wscluster.d.ts', import.meta.url), 'utf8');
const js = readFileSync(new URL('../wscluster.js', import.meta.url), 'utf8');

function block(text, opening) {
    const start = text.indexOf(opening);
    assert.ok(start >= 0, opening);
    let depth = 0;
    for (let i = text.indexOf('{', start); i < text.length; i++) {
        if (text[i] === '{') depth++;
        if (text[i] === '}' && --depth === 0) return text.slice(start, i + 1);
    }
    throw new Error('unclosed ' + opening);
}

test('the class declares exactly the public methods and accessors of the module', () => {
    const declared = [...block(dts, 'export class WsclusterClient').matchAll(/^ {4}(?:readonly )?(\w+)[<(:]/gm)]
        .map((m) => m[1]).filter((n) => n !== 'constructor' && n !== 'options' && n !== 'state' && n !== 'positions').sort();
    const actual = Object.getOwnPropertyNames(WsclusterClient.prototype).filter((n) => n !== 'constructor').sort();
    assert.deepEqual(declared, actual);
});

test('the declared events are the ones the module emits', () => {
    const declared = [...block(dts, 'export interface ClientEvents').matchAll(/^ {4}(\w+):/gm)].map((m) => m[1]).sort();
    const emitted = new Set([...js.matchAll(/#emit\('(\w+)'/g)].map((m) => m[1]));
    emitted.add('message').add('join').add('leave'); // emitted under the frame's own type
    for (const type of ['subscribed', 'unsubscribed', 'refreshed']) emitted.add(type); // the server API's acts, likewise
    assert.deepEqual(declared, [...emitted].sort());
});
