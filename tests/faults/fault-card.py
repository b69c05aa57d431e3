"""A misbehaving vpcd card for tests/faults/vpcd-peer.sh (run with /usr/bin/python3).

  fault-card.py PORT MODE [DELAY]
connects to the reader on 127.0.0.1:PORT, answers GET ATR (3B 80 80 01 01) and control bytes like
a card, and every APDU N (1, 2, ...) with the 3 bytes N 90 00, except for the faulty APDU (the 2nd):
  drip       the answer frame one byte every DELAY seconds (the total may exceed the timeout)
  midframe   the 2-byte header and half the payload, then silence (socket stays open)
  late       the whole answer after DELAY seconds
  deaf       stops reading from the socket (SO_RCVBUF small) and never answers: half-open peer
It logs one line per event on stdout and exits when the reader closes the connection.
"""
import socket
import struct
import sys
import time

ATR = bytes([0x3B, 0x80, 0x80, 0x01, 0x01])


def main():
    port, mode = int(sys.argv[1]), sys.argv[2]
    delay = float(sys.argv[3]) if len(sys.argv) > 3 else 1.0
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    for _ in range(100):
        try:
            s.connect(("127.0.0.1", port))
            break
        except OSError:
            time.sleep(0.05)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    print("connected", flush=True)
    buf = b""
    n = 0
    while True:
        data = s.recv(65536)
        if not data:
            print("closed by the reader", flush=True)
            return 0
        buf += data
        while len(buf) >= 2 and len(buf) >= 2 + struct.unpack(">H", buf[:2])[0]:
            size = struct.unpack(">H", buf[:2])[0]
            payload, buf = buf[2:2 + size], buf[2 + size:]
            if len(payload) == 1:
                if payload[0] == 4:
                    s.sendall(struct.pack(">H", len(ATR)) + ATR)
                continue
            n += 1
            frame = struct.pack(">H", 3) + bytes([n & 0xFF, 0x90, 0x00])
            if n != 2:
                s.sendall(frame)
                continue
            print("fault %s on APDU %d" % (mode, n), flush=True)
            if mode == "drip":
                for b in frame:
                    s.sendall(bytes([b]))
                    time.sleep(delay)
                print("drip done", flush=True)
            elif mode == "midframe":
                s.sendall(frame[:3])
                time.sleep(3600)
            elif mode == "late":
                time.sleep(delay)
                try:
                    s.sendall(frame)
                    print("late answer sent", flush=True)
                except OSError as e:
                    print("late answer not sent: %s" % e, flush=True)
            elif mode == "deaf":
                time.sleep(3600)


if __name__ == "__main__":
    sys.exit(main())
