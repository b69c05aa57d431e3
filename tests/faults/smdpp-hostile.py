"""Hostile clients for tests/faults/smdpp-hostile.sh (run with /usr/bin/python3).

  smdpp-hostile.py PORT CAFILE MODE COUNT [HOLD]
MODE:
  garbage     COUNT connections each send 64 KiB of random bytes on the TLS port, then close
  halfhello   COUNT connections each send the first 40 bytes of a TLS ClientHello and hold HOLD s
  headers     COUNT TLS requests with 256 KiB of header lines; prints the HTTP status lines seen
  longline    COUNT TLS requests with one 64 KiB header line; prints the HTTP status lines seen
  slowbody    COUNT TLS requests announcing a 4,000-byte body, send 10 bytes, hold HOLD s
  bigbody     COUNT TLS requests announcing a 10 MB body; prints the HTTP status lines seen
  trickle     COUNT TLS requests that send one more header line to each connection every second
              for up to HOLD s (slowloris); prints "trickle: N of COUNT closed by the server,
              the last after S s"
  flood       one TLS request sending header lines as fast as it can, up to 64 MiB; prints
              "flood: closed after N KiB" or "flood: not closed"
  probe       one valid handleNotification over TLS; prints the HTTP status (204) and the seconds
Prints "done MODE" when its connections are set up (holders then sleep HOLD s before closing).
"""
import os
import socket
import ssl
import sys
import threading
import time

PATH = "/gsma/rsp2/es9plus/handleNotification"
BODY = b'{"pendingNotification":"MAA="}'


def tls(port, cafile):
    ctx = ssl.create_default_context(cafile=cafile)
    raw = socket.create_connection(("127.0.0.1", port), timeout=30)
    return ctx.wrap_socket(raw, server_hostname="127.0.0.1")


def status(sock):
    try:
        data = sock.recv(4096)
        return data.split(b"\r\n", 1)[0].decode(errors="replace") or "closed"
    except OSError as e:
        return "error %s" % e.__class__.__name__


def request(headers=b"", body=BODY, length=None):
    length = len(body) if length is None else length
    return (b"POST " + PATH.encode() + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            b"X-Admin-Protocol: gsma/rsp/v2.2.0\r\n" + headers + b"Content-Length: %d\r\n\r\n" % length + body)


def trickle(port, cafile, count, hold):
    # One thread per connection: past the server's worker count a TLS handshake waits for a worker.
    t0 = time.monotonic()
    closed_at = [None] * count
    started = threading.Semaphore(0)

    def one(i):
        try:
            s = tls(port, cafile)
        except (OSError, ssl.SSLError):
            closed_at[i] = time.monotonic() - t0
            started.release()
            return
        try:
            s.sendall(b"POST " + PATH.encode() + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            started.release()
            s.setblocking(False)  # TLS 1.3 session tickets make the socket readable with no data
            line = 0
            while time.monotonic() - t0 < hold:
                time.sleep(1)
                try:
                    if not s.recv(4096):
                        raise ConnectionResetError
                except ssl.SSLWantReadError:
                    pass
                line += 1
                s.sendall(b"X-Trickle-%d: a\r\n" % line)
        except (OSError, ssl.SSLError):
            closed_at[i] = time.monotonic() - t0
        s.close()

    threads = [threading.Thread(target=one, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for _ in range(min(count, 16)):  # the ones a worker took: their request line is out
        started.acquire()
    print("done trickle", flush=True)
    for t in threads:
        t.join()
    done = [c for c in closed_at if c is not None]
    print("trickle: %d of %d closed by the server, the last after %.1f s" % (len(done), count, max(done, default=0)),
          flush=True)
    return 0


def flood(port, cafile):
    s = tls(port, cafile)
    sent = 0
    chunk = b"".join(b"X-Flood-%d: %s\r\n" % (j, b"a" * 100) for j in range(600))
    try:
        s.sendall(b"POST " + PATH.encode() + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        while sent < 64 * 1024 * 1024:
            s.sendall(chunk)
            sent += len(chunk)
    except (OSError, ssl.SSLError):
        print("flood: closed after %d KiB" % (sent // 1024), flush=True)
        return 0
    print("flood: not closed", flush=True)
    return 0


def main(argv):
    port, cafile, mode, count = int(argv[1]), argv[2], argv[3], int(argv[4]) if len(argv) > 4 else 1
    hold = float(argv[5]) if len(argv) > 5 else 0
    held = []
    if mode == "probe":
        t0 = time.monotonic()
        s = tls(port, cafile)
        s.sendall(request())
        print("%s %.1f" % (status(s), time.monotonic() - t0), flush=True)
        return 0
    if mode == "trickle":
        return trickle(port, cafile, count, hold)
    if mode == "flood":
        return flood(port, cafile)
    for i in range(count):
        if mode == "garbage":
            s = socket.create_connection(("127.0.0.1", port), timeout=10)
            try:
                s.sendall(os.urandom(65536))
            except OSError:
                pass
            s.close()
        elif mode == "halfhello":
            s = socket.create_connection(("127.0.0.1", port), timeout=10)
            # record header (handshake, TLS 1.0 record version, 512 bytes) + ClientHello start
            s.sendall(bytes([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xFC, 0x03, 0x03]) + os.urandom(29))
            held.append(s)
        elif mode == "headers":
            s = tls(port, cafile)
            try:
                s.sendall(request(headers=b"".join(b"X-Pad-%d: %s\r\n" % (j, b"a" * 200) for j in range(1300))))
            except OSError:
                pass
            print("headers: %s" % status(s), flush=True)
            s.close()
        elif mode == "longline":
            s = tls(port, cafile)
            try:
                s.sendall(request(headers=b"X-Long: " + b"a" * 65536 + b"\r\n"))
            except OSError:
                pass
            print("longline: %s" % status(s), flush=True)
            s.close()
        elif mode == "slowbody":
            s = tls(port, cafile)
            s.sendall(request(body=b'{"pendingN', length=4000))
            held.append(s)
        elif mode == "bigbody":
            s = tls(port, cafile)
            try:
                s.sendall(request(body=b"{" * 65536, length=10 * 1000 * 1000))
            except OSError:
                pass
            print("bigbody: %s" % status(s), flush=True)
            s.close()
    print("done %s" % mode, flush=True)
    time.sleep(hold)
    for s in held:
        s.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
