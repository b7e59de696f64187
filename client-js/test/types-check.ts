// Compiled by `npm run check-types` (tsc --strict, no output): the declarations describe the client as an
// application uses it, through the package's own name. A wrong declaration fails the build here.
import { WsclusterClient, type ClientError, type MessageFrame, type Position } from 'wscluster-client';

const client = new WsclusterClient({
    urls: ['wss://chat.example.com/ws'],
    token: async () => 'a.jwt.token',
    transports: ['websocket', 'sse'],
    maxBackoffMs: 5_000,
});
const off: () => void = client.on('message', (m: MessageFrame) => console.log(m.channel ?? m.to, m.data, m.offset));
off();
client.on('state', (s) => { const open: boolean = s === 'open'; console.log(open); });
client.on('unrecovered', (channel: string) => console.log('reload', channel));
client.on('resubscribeFailed', ({ channel, error }) => console.log(channel, error.code));
client.on('disconnected', ({ code, reason }) => console.log(code, reason));
client.on('reconnect', (r) => console.log(r.delayMs, r.attempt));
client.on('join', (f) => console.log(f.member.user));
client.on('transport', (t) => console.log(t === 'sse'));
client.connect();

async function use(): Promise<void> {
    const subscribed = await client.subscribe('news');
    const where: Position | undefined = client.positions.get(subscribed.channel);
    console.log(where?.epoch, subscribed.recovered);
    const id: string = await client.publish('news', { text: 'hi' }, { key: 'k', priority: 'high', idempotencyKey: 'once' });
    const who = await client.presence('news');
    console.log(id, who.count, who.members.map((m) => m.node));
    await client.unsubscribe('news').catch((e: ClientError) => console.log(e.code));
    client.close();
}
void use;

// @ts-expect-error an unknown event is refused
client.on('mesage', () => {});
// @ts-expect-error publish options are checked
void client.publish('news', 1, { priority: 'urgent' });
// @ts-expect-error urls are required
new WsclusterClient({ token: 't' });
