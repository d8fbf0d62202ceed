"""What a worker thread pays per request for sharing one connection with the other threads.

Threads of a worker could share one connection to the JVM (frames tagged with a request id, a reader
thread handing each frame to the thread of its request) or have one each (twod-wsgi's choice: the
thread that serves a request reads its frames itself). This measures the Python side of both, the
same work per request: a 200-byte request frame in, a 100-byte response frame out, over a Unix
socketpair, the "JVM" end played by a process of its own (forked), one request at a time.

  one connection per thread   the serving thread blocks in recv() on its own connection
  shared connection           a reader thread recv()s, puts the frame in the serving thread's
                              queue.Queue; the serving thread replies under a write lock

  /usr/bin/python3 benchmarks/thread_handoff.py          # 20,000 round trips each, best of 5
"""

import os
import queue
import socket
import struct
import sys
import threading
import time

HEADER = struct.Struct(">BII")  # type, request id, length
REQUEST = b"r" * 200
RESPONSE = b"s" * 100
ROUNDS = 20000


def recv_frame(sock):
    header = _recv_exactly(sock, HEADER.size)
    kind, request_id, length = HEADER.unpack(header)
    return kind, request_id, _recv_exactly(sock, length)


def _recv_exactly(sock, size):
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            raise EOFError()
        data += chunk
    return data


def jvm(sock, rounds):
    """In a forked process: sends a request, waits for its response, rounds times; returns the seconds
    it took."""
    results, report = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(results)
        started = time.perf_counter()
        for _ in range(rounds):
            sock.sendall(HEADER.pack(1, 7, len(REQUEST)) + REQUEST)
            recv_frame(sock)
        os.write(report, repr(time.perf_counter() - started).encode())
        sock.shutdown(socket.SHUT_RDWR)
        os._exit(0)
    os.close(report)
    took = float(os.read(results, 100))
    os.close(results)
    os.waitpid(pid, 0)
    return took


def own_connection(rounds):
    jvm_end, worker_end = socket.socketpair()

    def serve():
        try:
            while True:
                kind, request_id, payload = recv_frame(worker_end)
                worker_end.sendall(HEADER.pack(2, request_id, len(RESPONSE)) + RESPONSE)
        except EOFError:
            pass

    server = threading.Thread(target=serve, daemon=True)
    server.start()
    took = jvm(jvm_end, rounds)
    jvm_end.close()
    server.join()
    worker_end.close()
    return took


def shared_connection(rounds):
    jvm_end, worker_end = socket.socketpair()
    inbox = queue.Queue()
    write_lock = threading.Lock()

    def read():
        try:
            while True:
                inbox.put(recv_frame(worker_end))
        except EOFError:
            inbox.put(None)

    def serve():
        while True:
            frame = inbox.get()
            if frame is None:
                return
            kind, request_id, payload = frame
            with write_lock:
                worker_end.sendall(HEADER.pack(2, request_id, len(RESPONSE)) + RESPONSE)

    reader = threading.Thread(target=read, daemon=True)
    server = threading.Thread(target=serve, daemon=True)
    reader.start()
    server.start()
    took = jvm(jvm_end, rounds)
    jvm_end.close()
    server.join()
    reader.join()
    worker_end.close()
    return took


def main():
    print("Python %s, %d round trips, best of 5" % (sys.version.split()[0], ROUNDS))
    results = {}
    for name, run in (("one connection per thread", own_connection), ("shared connection", shared_connection)):
        best = min(run(ROUNDS) for _ in range(5))
        results[name] = best / ROUNDS * 1e6
        print("%-28s %6.1f us per request" % (name, results[name]))
    extra = results["shared connection"] - results["one connection per thread"]
    print("sharing costs %.1f us more per request (%.0f%%)"
          % (extra, 100 * extra / results["one connection per thread"]))


if __name__ == "__main__":
    main()
