"""How long a pool takes to serve with a fresh worker after one is killed, for benchmarks/replacement.sh.

  replacement.py URL KILLS WORKERS
  replacement.py breakdown OUTPUT LOG APP   per kill, from the starter's log (WorkerPool at debug): when
                                            the JVM noticed the death and when the fresh worker was READY,
                                            in ms after the kill (OUTPUT: what the first form printed)

URL answers the pid of the worker that served it (benchmarks/apps/pid_app.py). Two client threads
send GET URL in a loop, a new connection each, 1 ms apart, and note each response's time and pid.
Once WORKERS distinct pids have answered, KILLS times: SIGKILL the worker that answered last, then
wait until a response carries a pid never seen before; the time from the kill to the end of that
response is the replacement time. Responses other than 200 and failed connections meanwhile are
counted as errors. 1 s pause between kills. A replacement slower than 50 ms also prints every response
the client got meanwhile (ms after the kill, and the pid or "error"). Standard library only.
"""

import datetime
import http.client
import os
import re
import signal
import statistics
import sys
import threading
import time
import urllib.parse

PAUSE = 0.001
SLOW_MS = 50  # a replacement slower than this prints the responses the client got meanwhile
SETTLE = 1.0
TIMEOUT = 30.0


class Client:
    def __init__(self, url):
        parts = urllib.parse.urlsplit(url)
        self.host, self.port, self.path = parts.hostname, parts.port, parts.path or "/"
        self.responses = []  # (monotonic time at the end of the response, pid or None for an error)
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self.loop, daemon=True) for _ in range(2)]

    def loop(self):
        while not self.stopping.is_set():
            pid = None
            try:
                connection = http.client.HTTPConnection(self.host, self.port, timeout=10)
                connection.request("GET", self.path)
                response = connection.getresponse()
                body = response.read()
                connection.close()
                if response.status == 200:
                    pid = int(body)
            except (OSError, http.client.HTTPException, ValueError):
                pass
            with self.lock:
                self.responses.append((time.monotonic(), pid))
            time.sleep(PAUSE)

    def since(self, index):
        with self.lock:
            return self.responses[index:]

    def count(self):
        with self.lock:
            return len(self.responses)


def main(url, kills, workers):
    client = Client(url)
    for thread in client.threads:
        thread.start()
    deadline = time.monotonic() + TIMEOUT
    while len({pid for _, pid in client.since(0) if pid}) < workers:
        if time.monotonic() > deadline:
            sys.exit("fewer than %d workers answered within %d s" % (workers, TIMEOUT))
        time.sleep(0.01)
    seen = {pid for _, pid in client.since(0) if pid}
    results = []
    for number in range(1, kills + 1):
        time.sleep(SETTLE)
        victim = next(pid for _, pid in reversed(client.since(0)) if pid)
        first = client.count()
        killed_at, killed_wall = time.monotonic(), time.time()
        os.kill(victim, signal.SIGKILL)
        fresh = None
        while fresh is None:
            if time.monotonic() - killed_at > TIMEOUT:
                sys.exit("no fresh worker answered within %d s of killing %d" % (TIMEOUT, victim))
            time.sleep(0.001)
            responses = client.since(first)
            for index, (at, pid) in enumerate(responses):
                if pid is not None and pid not in seen:
                    fresh = (at, pid, sum(1 for _, p in responses[:index] if p is None))
                    break
        at, pid, errors = fresh
        seen.add(pid)
        results.append(((at - killed_at) * 1000, errors))
        print("kill %2d: worker %d killed at %s, fresh worker %d served after %7.1f ms, %d errors meanwhile"
              % (number, victim, time.strftime("%H:%M:%S", time.gmtime(killed_wall)) + ".%03d" % (killed_wall % 1 * 1000),
                 pid, (at - killed_at) * 1000, errors), flush=True)
        if (at - killed_at) * 1000 > SLOW_MS:
            # What the client got meanwhile: ms after the kill (end of response) and the pid, or "error".
            print("         meanwhile: " + ", ".join(
                "%.0f %s" % ((t - killed_at) * 1000, p or "error") for t, p in client.since(first) if t <= at),
                flush=True)
    client.stopping.set()
    for thread in client.threads:
        thread.join()
    times = [ms for ms, _ in results]
    print("RESULT %.1f %.1f %.1f %d %d" % (statistics.median(times), max(times), min(times),
                                          sum(errors for _, errors in results), client.count()))


def breakdown(output, log, app):
    """Per kill: the JVM's "Worker N of WSGI app 'APP' was killed" and the fresh worker's "is ready",
    in ms after the kill (the log's and the client's clocks are the same machine's, in UTC)."""
    with open(output) as source:
        kills = re.findall(r"kill +(\d+): worker (\d+) killed at (\S+), fresh worker (\d+) served after +([\d.]+) ms",
                           source.read())
    with open(log) as source:
        text = source.read()

    def after(pattern, killed):
        found = re.search(r"T(\d\d:\d\d:\d\d\.\d+)Z .*" + pattern, text)
        if not found:
            return None
        return (datetime.datetime.strptime(found.group(1), "%H:%M:%S.%f") - killed).total_seconds() * 1000

    noticed, ready = [], []
    for number, victim, at, fresh, served in kills:
        killed = datetime.datetime.strptime(at, "%H:%M:%S.%f")
        noticed.append(after(r"Worker %s of WSGI app '%s' was killed" % (victim, app), killed))
        ready.append(after(r"Worker %s of WSGI app '%s' is ready" % (fresh, app), killed))
        print("kill %2s: the JVM noticed the death after %s ms, the fresh worker was READY after %s ms, served after %s ms"
              % (number, "%.0f" % noticed[-1] if noticed[-1] is not None else "?",
                 "%.0f" % ready[-1] if ready[-1] is not None else "?", served))
    ready = [ms for ms in ready if ms is not None]
    if ready:
        print("kill to READY: median %.0f ms, max %.0f ms (%d replacements)" % (statistics.median(ready), max(ready),
                                                                              len(ready)))


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "breakdown":
        breakdown(*sys.argv[2:])
    elif len(sys.argv) == 4:
        main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
    else:
        sys.exit(__doc__)
