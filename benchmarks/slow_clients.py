#!/usr/bin/python3
"""Slow clients against one server, then ordinary requests: how many still finish within 2 s.

    slow_clients.py NAME BASE_URL        e.g. slow_clients.py gunicorn http://127.0.0.1:18091

BASE_URL is where benchmarks/apps/slow_client_app.py is mounted (no trailing slash). From t=0:
20 slow uploaders (POST BASE_URL/upload, Content-Length 100000, the body trickled at 100 bytes/s:
10 bytes every 100 ms) and 20 slow readers (GET BASE_URL/big?size=10485760 on a socket with
SO_RCVBUF 16 KiB set before connect, reading 5 KB every 100 ms: 50 KB/s), opened alternately, all
kept going until the window ends (15 s), then held open, idle, for 1 s more. At t=2 s, 20 ordinary
requests (GET BASE_URL/hello, each on its own connection) are sent all at once; each is timed from
its connect to the end of its body, and waits for an answer until the window ends, so that how it
failed shows (a status, a reset, or no answer at all). Prints two lines: the ordinary requests (done with 200 within 2 s, p50 and max
latency, errors), and what became of the slow clients.

Standard library only; Debian's /usr/bin/python3.
"""

import http.client
import select
import socket
import sys
import threading
import time
import urllib.parse
from collections import Counter

UPLOADERS = 20
READERS = 20
ORDINARY = 20
WINDOW = 15.0  # seconds from the first slow client to the end of the measurement
HOLD = 1.0  # the slow clients keep their connections this much longer, idle, then close them
ORDINARY_AT = 2.0  # when the ordinary requests go out
DEADLINE = 2.0  # an ordinary request counts if it completed with 200 within this
UPLOAD_LENGTH = 100_000
UPLOAD_STEP = (10, 0.1)  # bytes, seconds: 100 bytes/s
BIG_SIZE = 10 * 1024 * 1024
READ_STEP = (5000, 0.1)  # bytes, seconds: 50 KB/s
READER_RCVBUF = 16 * 1024


def status_of(head):
    """The status code in the first line of a response, or None if it is not there (yet)."""
    line, found, _ = head.partition(b"\r\n")
    if not found:
        return None
    parts = line.split()
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None


def error_kind(error):
    if isinstance(error, TimeoutError):
        return "no answer"
    if isinstance(error, (ConnectionResetError, BrokenPipeError)):
        return "reset"
    if isinstance(error, ConnectionRefusedError):
        return "refused"
    if isinstance(error, http.client.RemoteDisconnected):
        return "closed without answer"
    return type(error).__name__


class Run:
    def __init__(self, base_url):
        url = urllib.parse.urlsplit(base_url)
        self.host = url.hostname
        self.port = url.port or 80
        self.prefix = url.path.rstrip("/")
        self.start = time.monotonic()
        self.end = self.start + WINDOW
        self.close_at = self.end + HOLD
        self.uploads = []
        self.reads = []
        self.ordinary = []
        self.lock = threading.Lock()

    def hold(self, sock):
        """Keeps the connection past the end of the measurement. Were it closed at the end, a server
        would serve the next queued request at once and answer some of the other clients while they
        stop; that would count."""
        time.sleep(max(0.0, self.close_at - time.monotonic()))
        sock.close()

    def request(self, method, path, headers=""):
        return (f"{method} {self.prefix}{path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
                f"{headers}\r\n").encode()

    def uploader(self):
        """Sends the body slowly; stops early only if the server answers or drops the connection."""
        outcome, sent, sock = "still sending", 0, None
        try:
            sock = socket.create_connection((self.host, self.port), timeout=WINDOW)
            sock.sendall(self.request("POST", "/upload", "Content-Type: application/octet-stream\r\n"
                                      f"Content-Length: {UPLOAD_LENGTH}\r\n"))
            step, pause = UPLOAD_STEP
            next_send = time.monotonic()
            head = b""
            while True:
                now = time.monotonic()
                if now >= self.end:
                    break
                readable, _, _ = select.select([sock], [], [], max(0.0, min(next_send, self.end) - now))
                if readable:
                    data = sock.recv(65536)
                    if not data:
                        outcome = "closed without answer" if not head else f"answered {status_of(head)}"
                        break
                    head += data
                    if status_of(head) is not None:
                        outcome = f"answered {status_of(head)}"
                        break
                    continue
                if time.monotonic() >= next_send and sent < UPLOAD_LENGTH:
                    sock.sendall(b"x" * step)
                    sent += step
                    next_send += pause
            if outcome == "still sending":
                self.hold(sock)
        except OSError as error:
            outcome = error_kind(error)
        finally:
            if sock is not None:
                sock.close()
        with self.lock:
            self.uploads.append((outcome, sent))

    def reader(self):
        """Reads the big response slowly through a small receive buffer."""
        status, state, received, sock = None, "still reading", 0, None
        try:
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, READER_RCVBUF)
            sock.settimeout(WINDOW)
            sock.connect((self.host, self.port))
            sock.sendall(self.request("GET", f"/big?size={BIG_SIZE}"))
            step, pause = READ_STEP
            next_read = time.monotonic()
            head = b""
            while True:
                remaining = self.end - time.monotonic()
                if remaining <= 0:
                    break
                sock.settimeout(remaining)
                try:
                    data = sock.recv(step)
                except TimeoutError:
                    break
                if not data:
                    state = "closed by server"
                    break
                if status is None:
                    head += data
                    status = status_of(head)
                    marker = head.find(b"\r\n\r\n")
                    if marker >= 0:
                        received += len(head) - marker - 4
                else:
                    received += len(data)
                if status == 200 and received >= BIG_SIZE:
                    state = "complete"
                    break
                next_read += pause
                time.sleep(max(0.0, next_read - time.monotonic()))
            if state == "still reading":
                self.hold(sock)
        except OSError as error:
            state = error_kind(error)
        finally:
            if sock is not None:
                sock.close()
        with self.lock:
            self.reads.append((status, state, received))

    def ordinary_request(self, go):
        go.wait()
        began = time.monotonic()
        status, error = None, None
        try:
            connection = http.client.HTTPConnection(self.host, self.port, timeout=max(0.1, self.end - began))
            try:
                connection.request("GET", f"{self.prefix}/hello")
                response = connection.getresponse()
                response.read()
                status = response.status
            finally:
                connection.close()
        except (OSError, http.client.HTTPException) as caught:
            error = error_kind(caught)
        with self.lock:
            self.ordinary.append((time.monotonic() - began, status, error))


def main():
    name, base_url = sys.argv[1], sys.argv[2]
    run = Run(base_url)
    threads = []
    for i in range(max(UPLOADERS, READERS)):
        if i < UPLOADERS:
            threads.append(threading.Thread(target=run.uploader, daemon=True))
            threads[-1].start()
        if i < READERS:
            threads.append(threading.Thread(target=run.reader, daemon=True))
            threads[-1].start()
    time.sleep(max(0.0, run.start + ORDINARY_AT - time.monotonic()))
    go = threading.Event()
    ordinary = [threading.Thread(target=run.ordinary_request, args=(go,), daemon=True) for _ in range(ORDINARY)]
    for thread in ordinary:
        thread.start()
    go.set()
    for thread in threads + ordinary:
        thread.join(timeout=max(0.0, run.close_at + 5 - time.monotonic()))

    # an unanswered request waited until the window's end: its latency is a lower bound
    latencies = sorted((latency, error == "no answer") for latency, _, error in run.ordinary)
    within = sum(1 for latency, status, _ in run.ordinary if status == 200 and latency <= DEADLINE)
    failures = Counter(error if error else str(status) for _, status, error in run.ordinary
                       if error or status != 200)

    def shown(latency, unanswered):
        return f">{latency * 1000:.0f}" if unanswered else f"{latency * 1000:.0f}"

    p50 = shown(*latencies[(len(latencies) - 1) // 2]) if latencies else "-"
    worst = shown(*latencies[-1]) if latencies else "-"
    errors = sum(failures.values()) + ORDINARY - len(run.ordinary)
    detail = ", ".join(f"{kind} x{count}" for kind, count in failures.most_common())
    print(f"{name:<16} ordinary done within {DEADLINE:.0f} s: {within:>2}/{ORDINARY}   p50 {p50:>6} ms"
          f"   max {worst:>6} ms   errors {errors}{' (' + detail + ')' if detail else ''}")
    uploads = Counter(outcome for outcome, _ in run.uploads)
    reads = Counter(f"{status} {state}" if status else "no response yet" if state == "still reading" else state
                    for status, state, _ in run.reads)
    received = sorted(received for _, _, received in run.reads) or [0]
    print(f"{'':<16} slow uploaders at {WINDOW:.0f} s: "
          + ", ".join(f"{kind} x{count}" for kind, count in uploads.most_common())
          + "; slow readers: " + ", ".join(f"{kind} x{count}" for kind, count in reads.most_common())
          + f" (body read per reader: median {received[(len(received) - 1) // 2] / 1e6:.2f} MB,"
          f" max {received[-1] / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
