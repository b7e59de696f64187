#!/usr/bin/env python3
"""A slow link between two hosts of payara/netns.sh, made in user space (this machine's kernel has no netem).

netns.sh runs one relay in each of the two nodes' namespaces and redirects (nftables, output hook) every
TCP connection the node opens to the other node into it. The relay learns where the connection was going
(SO_ORIGINAL_DST), connects there from a second address of its own host (so its own connection is not
redirected again), and forwards both directions, holding every chunk for DELAY ms +- JITTER ms. A chunk
never overtakes the one before it: like TCP over a delaying, jittering link, the bytes arrive late and in
order. Connection set-up is delayed by DELAY too. One line per connection goes to stdout.

  slowlink.py --listen PORT --source ADDRESS --delay MS --jitter MS
"""
import argparse
import asyncio
import random
import socket
import struct
import sys

SO_ORIGINAL_DST = 80  # linux/netfilter_ipv4.h


def original_destination(sock):
    raw = sock.getsockopt(socket.SOL_IP, SO_ORIGINAL_DST, 16)
    port, address = struct.unpack("!2xH4s8x", raw)
    return socket.inet_ntoa(address), port


async def forward(reader, writer, delay, jitter):
    """Copies reader to writer, each chunk due DELAY +- JITTER after it was read, never before the previous one."""
    loop = asyncio.get_running_loop()
    chunks = asyncio.Queue(maxsize=1024)

    async def read():
        due = 0.0
        while True:
            try:
                data = await reader.read(65536)
            except OSError:
                data = b""
            due = max(due, loop.time() + (delay + random.uniform(-jitter, jitter)) / 1000)
            await chunks.put((due, data))
            if not data:
                return

    async def write():
        while True:
            due, data = await chunks.get()
            await asyncio.sleep(max(0.0, due - loop.time()))
            try:
                if not data:
                    if writer.can_write_eof():
                        writer.write_eof()
                    return
                writer.write(data)
                await writer.drain()
            except OSError:
                return

    await asyncio.gather(read(), write())


async def relay(client_reader, client_writer, source, delay, jitter):
    peer = client_writer.get_extra_info("peername")
    target = original_destination(client_writer.get_extra_info("socket"))
    try:
        await asyncio.sleep(delay / 1000)
        server_reader, server_writer = await asyncio.open_connection(target[0], target[1], local_addr=(source, 0))
    except OSError as e:
        print(f"{peer[0]}:{peer[1]} -> {target[0]}:{target[1]} refused: {e}", flush=True)
        client_writer.close()
        return
    print(f"{peer[0]}:{peer[1]} -> {target[0]}:{target[1]} relayed", flush=True)
    try:
        await asyncio.gather(forward(client_reader, server_writer, delay, jitter),
                             forward(server_reader, client_writer, delay, jitter))
    finally:
        for writer in (server_writer, client_writer):
            writer.close()
    print(f"{peer[0]}:{peer[1]} -> {target[0]}:{target[1]} closed", flush=True)


async def main():
    parser = argparse.ArgumentParser(description="A TCP relay that delays both directions.")
    parser.add_argument("--listen", type=int, required=True, help="port on 127.0.0.1 the redirect goes to")
    parser.add_argument("--source", required=True, help="this host's second address, for the relayed connections")
    parser.add_argument("--delay", type=float, required=True, help="milliseconds each way")
    parser.add_argument("--jitter", type=float, default=0, help="milliseconds, uniform, at most the delay")
    args = parser.parse_args()
    jitter = min(args.jitter, args.delay)
    server = await asyncio.start_server(lambda r, w: relay(r, w, args.source, args.delay, jitter), "127.0.0.1", args.listen)
    print(f"listening on 127.0.0.1:{args.listen}, delay {args.delay} ms +- {jitter} ms, from {args.source}", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)
