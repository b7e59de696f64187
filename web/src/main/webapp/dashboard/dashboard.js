// wscluster dashboard: polls the node it was loaded from. Every node serves the whole cluster's view
// (the registry is replicated), so any node will do. No framework, no build step.
'use strict';

const COLORS = ['#2563eb', '#16a34a', '#dc2626', '#9333ea', '#ea580c', '#0891b2', '#4d7c0f', '#be185d'];
const WINDOW_MS = 15 * 60 * 1000;          // charts show at most the last 15 minutes
const series = { connections: {}, delivered: {}, latency: {} }; // metric -> node -> [[t, v]]

const $ = (id) => document.getElementById(id);
const fmt = (n, digits = 0) => Number(n).toLocaleString('en', { maximumFractionDigits: digits });
const text = (tag, content, cls) => { const el = document.createElement(tag); el.textContent = content; if (cls) el.className = cls; return el; };

function record(metric, node, t, value) {
    const points = series[metric][node] || (series[metric][node] = []);
    if (points.length && points[points.length - 1][0] >= t) return;
    points.push([t, value]);
    while (points.length && points[0][0] < t - WINDOW_MS) points.shift();
}

function colorOf(node) {
    const nodes = Object.keys(series.connections).sort();
    return COLORS[Math.max(0, nodes.indexOf(node)) % COLORS.length];
}

function drawChart(svg, metric) {
    const width = 600, height = 180, left = 44, bottom = 20;
    const all = Object.values(series[metric]).flat();
    svg.replaceChildren();
    if (!all.length) return;
    // The window spans the data there is: at least a minute, at most WINDOW_MS.
    const now = Date.now();
    const from = Math.max(now - WINDOW_MS, Math.min(now - 60_000, ...all.map(p => p[0])));
    const max = Math.max(1, ...all.map(p => p[1])) * 1.1;
    const x = (t) => left + (t - from) / (now - from) * (width - left - 4);
    const y = (v) => height - bottom - v / max * (height - bottom - 6);
    const ns = 'http://www.w3.org/2000/svg';
    for (const v of [0, max / 2, max]) {
        const line = document.createElementNS(ns, 'line');
        Object.entries({ x1: left, x2: width, y1: y(v), y2: y(v), stroke: '#eceef2' }).forEach(([k, val]) => line.setAttribute(k, val));
        const label = document.createElementNS(ns, 'text');
        label.setAttribute('x', 2); label.setAttribute('y', y(v) + 4); label.textContent = fmt(v, max < 10 ? 1 : 0);
        svg.append(line, label);
    }
    for (const [node, points] of Object.entries(series[metric])) {
        const path = document.createElementNS(ns, 'polyline');
        path.setAttribute('fill', 'none');
        path.setAttribute('stroke', colorOf(node));
        path.setAttribute('stroke-width', '2');
        path.setAttribute('points', points.filter(p => p[0] >= from).map(p => `${x(p[0]).toFixed(1)},${y(p[1]).toFixed(1)}`).join(' '));
        path.dataset.node = node;
        svg.append(path);
    }
}

function renderNodes(nodes) {
    const body = $('nodes').tBodies[0];
    body.replaceChildren(...nodes.map(n => {
        const row = document.createElement('tr');
        row.dataset.node = n.id;
        const state = text('span', n.state, 'state ' + n.state);
        const stateCell = document.createElement('td');
        stateCell.append(state);
        row.append(text('td', n.id), stateCell,
            text('td', fmt(n.connections), 'num'), text('td', fmt(n.subscriptions), 'num'),
            text('td', fmt(n.publishedPerSecond, 1), 'num'), text('td', fmt(n.deliveredPerSecond, 1), 'num'),
            text('td', fmt(n.latencyMicros / 1000, 1), 'num'),
            text('td', fmt((Date.now() - n.lastHeartbeat) / 1000, 1) + ' s ago', 'num'), text('td', n.httpUrl || '–'));
        return row;
    }));
    const ready = nodes.filter(n => n.state === 'READY').length;
    $('nodes-ready').textContent = `${ready} / ${nodes.length}`;
    $('total-connections').textContent = fmt(nodes.reduce((s, n) => s + n.connections, 0));
    $('total-published').textContent = fmt(nodes.reduce((s, n) => s + n.publishedPerSecond, 0), 1);
    $('total-delivered').textContent = fmt(nodes.reduce((s, n) => s + n.deliveredPerSecond, 0), 1);
    const latencies = nodes.map(n => n.latencyMicros).filter(v => v > 0);
    $('latency').textContent = latencies.length ? fmt(Math.max(...latencies) / 1000, 1) + ' ms' : '–';
    for (const n of nodes) {
        record('connections', n.id, n.lastHeartbeat, n.connections);
        record('delivered', n.id, n.lastHeartbeat, n.deliveredPerSecond);
        record('latency', n.id, n.lastHeartbeat, n.latencyMicros / 1000);
    }
}

function renderChannels(channels) {
    const sorted = [...channels].sort((a, b) => b.subscribers - a.subscribers).slice(0, 20);
    $('channels').tBodies[0].replaceChildren(...sorted.map(c => {
        const row = document.createElement('tr');
        row.dataset.channel = c.name;
        row.append(text('td', c.name), text('td', fmt(c.subscribers), 'num'));
        return row;
    }));
}

// The operations token: from the address (#token=..., which is never sent to the server), kept for the
// tab's session, or asked for once. Every dashboard call is an operations endpoint.
const adminToken = (() => {
    const fromHash = new URLSearchParams(location.hash.slice(1)).get('token');
    if (fromHash) {
        sessionStorage.setItem('wscluster.admin.token', fromHash);
        history.replaceState(null, '', location.pathname);
    }
    let token = sessionStorage.getItem('wscluster.admin.token');
    if (!token) {
        token = prompt('Operations token (WSCLUSTER_ADMIN_TOKEN in the cluster\'s secrets.env)') || '';
        sessionStorage.setItem('wscluster.admin.token', token);
    }
    return token;
})();

async function getJson(path) {
    const response = await fetch(path, { cache: 'no-store', headers: { Authorization: `Bearer ${adminToken}` } });
    if (response.status === 401) sessionStorage.removeItem('wscluster.admin.token');
    if (!response.ok) throw new Error(`${path}: ${response.status}`);
    return response.json();
}

async function refresh() {
    try {
        const [nodes, channels, scale] = await Promise.all([
            getJson('/api/cluster/nodes'), getJson('/api/channels'), getJson('/api/cluster/scale')]);
        renderNodes(nodes);
        renderChannels(channels.cluster);
        $('scale').textContent = `${scale.desiredNodes} (${scale.action})`;
        ['connections', 'delivered', 'latency'].forEach(m => drawChart($('chart-' + m), m));
        $('updated').textContent = 'updated ' + new Date().toLocaleTimeString();
    } catch (e) {
        $('updated').textContent = 'cannot reach the node: ' + e.message;
    }
}

async function loadHistory() {
    try {
        for (const s of await getJson('/api/metrics/history?since=' + (Date.now() - WINDOW_MS))) {
            record('connections', s.node, s.timestamp, s.connections);
            record('delivered', s.node, s.timestamp, s.deliveredPerSecond);
            record('latency', s.node, s.timestamp, s.latencyMicros / 1000);
        }
    } catch (e) {
        console.warn('no history', e);
    }
}

loadHistory().then(refresh);
setInterval(refresh, 1000);
