#!/usr/bin/env python3
"""A loopback TCP proxy that adds a fixed delay to every byte in each
direction, so that round trips show as wall time the way they do on a real
network, and that counts them.

    latency-proxy.py DELAY_MS STATS_FILE LISTEN_PORT:UPSTREAM_PORT ...

Data keeps its order and is never held back longer than DELAY_MS: each chunk
is delivered DELAY_MS after it arrived, independently of the chunks before it
(a pipelined burst stays one burst). The TCP handshake itself is not delayed
(the kernel completes it before the proxy sees the connection), which costs
every client the same one round trip.

A "flight" is a run of data in one direction with nothing from the other side
in between. For each connection, on close, one JSON line goes to STATS_FILE:
the delivery times (time.time(), the clock PHP's microtime() reads) of the
first chunk of every server flight, and the byte counts. A client that waits
for a server flight has waited one round trip for it, so the number of server
flights delivered by the time a login returned is that login's round trips
(the greeting included).
"""
import asyncio
import json
import sys
import time

DELAY = float(sys.argv[1]) / 1000.0
STATS = sys.argv[2]
PAIRS = [tuple(int(x) for x in a.split(":")) for a in sys.argv[3:]]


async def pump(reader, writer, conn, side):
    """Copies reader to writer, each chunk DELAY after it arrived."""
    loop = asyncio.get_running_loop()
    queue = asyncio.Queue()

    async def deliver():
        while True:
            due, data, new_flight = await queue.get()
            wait = due - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            if data is None:
                try:
                    writer.write_eof()
                except (OSError, RuntimeError):
                    pass
                return
            if new_flight and side == "server":
                conn["server_flights"].append(time.time())
            try:
                writer.write(data)
                await writer.drain()
            except (OSError, RuntimeError):
                return

    task = asyncio.ensure_future(deliver())
    try:
        while True:
            try:
                data = await reader.read(65536)
            except OSError:
                data = b""
            now = loop.time()
            if not data:
                queue.put_nowait((now + DELAY, None, False))
                break
            new_flight = conn["last"] != side
            conn["last"] = side
            if new_flight and side == "client":
                conn["client_flights"] += 1
            conn[side + "_bytes"] += len(data)
            queue.put_nowait((now + DELAY, data, new_flight))
    finally:
        await task


async def handle(creader, cwriter, upstream_port, listen_port):
    conn = {"listen": listen_port, "opened": time.time(), "last": None,
            "client_flights": 0, "server_flights": [], "client_bytes": 0, "server_bytes": 0}
    try:
        sreader, swriter = await asyncio.open_connection("127.0.0.1", upstream_port)
    except OSError:
        cwriter.close()
        return
    await asyncio.gather(pump(creader, swriter, conn, "client"),
                         pump(sreader, cwriter, conn, "server"))
    for w in (cwriter, swriter):
        try:
            w.close()
        except OSError:
            pass
    conn["closed"] = time.time()
    del conn["last"]
    with open(STATS, "a") as f:
        f.write(json.dumps(conn) + "\n")


async def main():
    servers = []
    for listen_port, upstream_port in PAIRS:
        servers.append(await asyncio.start_server(
            lambda r, w, u=upstream_port, l=listen_port: handle(r, w, u, l),
            "127.0.0.1", listen_port))
    print("latency proxy up: %s, %g ms each way" % (
        " ".join("%d->%d" % p for p in PAIRS), DELAY * 1000), flush=True)
    await asyncio.gather(*(s.serve_forever() for s in servers))


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
