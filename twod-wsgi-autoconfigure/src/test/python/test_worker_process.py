"""Tests of whole worker processes, started as the JVM starts them and spoken to over their sockets:
threads (a connection per thread) and the fork server (preload)."""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest

from twod_wsgi import protocol

SECRET = b"0123456789abcdef"
TEST_DIR = os.path.dirname(os.path.abspath(__file__))


def environ_block(query=""):
    environ = {"REQUEST_METHOD": "GET", "SCRIPT_NAME": "", "PATH_INFO": "/", "QUERY_STRING": query}
    return bytes([0]) + "\0".join(part for item in environ.items() for part in item).encode("latin-1")


class WorkerProcess:
    """A `python -m twod_wsgi.worker` with the run's secret and boot configuration on its stdin."""

    def __init__(self, config, app="worker_model_apps:app"):
        self.directory = tempfile.mkdtemp(prefix="twod-wsgi-test-")
        self.socket_path = os.path.join(self.directory, "w.sock")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "twod_wsgi.worker", "--name", "test", "--app", app,
             "--socket", self.socket_path, "--python-path", TEST_DIR],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            env=dict(os.environ, PYTHONWARNINGS=""))
        self.channels = []
        self.process.stdin.write(SECRET + b"\n" + json.dumps(config).encode() + b"\n")
        self.process.stdin.flush()

    def connect(self, path=None):
        """Connects and says HELLO (READY is left to the caller)."""
        path = path or self.socket_path
        deadline = time.monotonic() + 10
        while True:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                sock.connect(path)
                break
            except OSError:
                sock.close()
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise
                time.sleep(0.01)
        sock.settimeout(10)
        channel = protocol.Channel(sock)
        self.channels.append(channel)
        channel.send(protocol.HELLO, SECRET)
        return channel

    def close(self):
        for channel in self.channels:
            channel.close()
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(10)
        self.process.stdin.close()
        self.process.stderr.close()
        shutil.rmtree(self.directory, ignore_errors=True)


def get(channel, query=""):
    """Sends a request and gives the JSON the app answered."""
    channel.send(protocol.REQUEST, environ_block(query))
    body = b""
    while True:
        kind, payload = channel.read_frame()
        if kind == protocol.DATA:
            body += payload
        elif kind == protocol.END:
            return json.loads(body)
        elif kind != protocol.START:
            raise AssertionError("unexpected frame %r" % chr(kind))


class ThreadsTests(unittest.TestCase):

    def setUp(self):
        self.worker = WorkerProcess({"threads": 2})
        self.addCleanup(self.worker.close)

    def both_ready(self):
        """The worker's two connections, each answered with READY."""
        channels = []
        for _ in range(2):
            channel = self.worker.connect()
            self.assertEqual(channel.read_frame()[0], protocol.READY)
            channels.append(channel)
        return channels

    def test_each_connection_is_served_by_a_thread_of_its_own(self):
        first, second = self.both_ready()
        # Both connections are open: nothing else can connect any more.
        self.assertFalse(os.path.exists(self.worker.socket_path))
        slow = {}
        thread = threading.Thread(target=lambda: slow.update(get(first, "sleep=0.5")))
        started = time.monotonic()
        thread.start()
        time.sleep(0.05)
        fast = get(second)
        self.assertLess(time.monotonic() - started, 0.4, "the second request waited for the first")
        thread.join(5)
        self.assertEqual(fast["pid"], slow["pid"])
        self.assertNotEqual(fast["thread"], slow["thread"])
        self.assertTrue(fast["multithread"])

    def test_the_worker_exits_once_every_connection_is_closed(self):
        first, second = self.both_ready()
        first.close()
        get(second)
        second.close()
        self.assertEqual(self.worker.process.wait(10), protocol.EXIT_OK)

    def test_a_closed_connection_leaves_the_other_threads_serving_and_the_worker_idle(self):
        first, second = self.both_ready()
        first.close()
        time.sleep(0.1)
        before = _cpu_seconds(self.worker.process.pid)
        time.sleep(0.5)
        self.assertLess(_cpu_seconds(self.worker.process.pid) - before, 0.1, "the worker spins while idle")
        self.assertIn("pid", get(second))

    def test_sigterm_lets_a_request_in_progress_finish(self):
        first, second = self.both_ready()
        answer = {}
        thread = threading.Thread(target=lambda: answer.update(get(first, "sleep=0.5")))
        thread.start()
        time.sleep(0.2)
        self.worker.process.send_signal(signal.SIGTERM)
        thread.join(5)
        self.assertIn("pid", answer)
        self.assertEqual(self.worker.process.wait(10), protocol.EXIT_OK)


class ForkServerTests(unittest.TestCase):

    def setUp(self):
        self.server = WorkerProcess({"role": "preload", "threads": 1})
        self.addCleanup(self.server.close)
        self.control = self.server.connect()
        kind, payload = self.control.read_frame()
        self.assertEqual(kind, protocol.READY, payload)

    def spawn(self, role="worker"):
        path = os.path.join(self.server.directory, "child-%d.sock" % time.monotonic_ns())
        self.control.send(protocol.SPAWN, role.encode() + b"\0" + path.encode())
        kind, payload = self.control.read_frame()
        self.assertEqual(kind, protocol.SPAWNED)
        return int(payload), path

    def test_forked_workers_have_the_app_imported_by_the_fork_server(self):
        pid, path = self.spawn()
        child = self.server.connect(path)
        self.assertEqual(child.read_frame(), (protocol.READY, child_ready(pid)))
        answer = get(child)
        self.assertEqual(answer["pid"], pid)
        self.assertEqual(answer["ppid"], self.server.process.pid)
        self.assertEqual(answer["importedBy"], self.server.process.pid)
        self.assertFalse(os.path.exists(path))

    def test_the_exit_of_a_worker_is_reported_with_its_code(self):
        pid, path = self.spawn()
        child = self.server.connect(path)
        child.read_frame()
        os.kill(pid, signal.SIGKILL)
        kind, payload = self.control.read_frame()
        self.assertEqual((kind, payload), (protocol.EXITED, b"%d %d" % (pid, 128 + signal.SIGKILL)))
        pid, path = self.spawn()
        child = self.server.connect(path)
        child.read_frame()
        child.close()  # a worker whose JVM connection closes exits normally
        self.assertEqual(self.control.read_frame(), (protocol.EXITED, b"%d 0" % pid))

    def test_a_worker_socket_that_cannot_be_opened_is_reported_and_the_fork_server_serves_on(self):
        self.control.send(protocol.SPAWN, b"worker\0" + b"/no/such/directory/w.sock")
        self.assertEqual(self.control.read_frame(), (protocol.SPAWNED, b"-1"))
        pid, path = self.spawn()
        child = self.server.connect(path)
        self.assertEqual(child.read_frame()[0], protocol.READY)

    def test_a_once_process_reports_ready_and_exits(self):
        pid, path = self.spawn("once")
        child = self.server.connect(path)
        self.assertEqual(child.read_frame()[0], protocol.READY)
        self.assertEqual(self.control.read_frame(), (protocol.EXITED, b"%d 0" % pid))

    def test_the_fork_server_leaves_when_the_jvm_closes_its_connection_and_its_workers_are_gone(self):
        pid, path = self.spawn()
        child = self.server.connect(path)
        child.read_frame()
        self.control.close()
        time.sleep(0.2)
        self.assertIsNone(self.server.process.poll(), "it left while its worker served")
        child.close()
        self.assertEqual(self.server.process.wait(10), protocol.EXIT_OK)

    def test_workers_die_with_their_fork_server(self):
        pid, path = self.spawn()
        child = self.server.connect(path)
        child.read_frame()
        self.server.process.kill()
        self.server.process.wait(10)
        deadline = time.monotonic() + 10
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertFalse(_alive(pid))

    def test_workers_exit_when_the_jvm_is_gone(self):
        pid, path = self.spawn()
        child = self.server.connect(path)
        child.read_frame()
        # The JVM holds stdin for the lives of the fork server and its workers: its end is the JVM's death.
        self.server.process.stdin.close()
        self.assertEqual(self.server.process.wait(10), protocol.EXIT_PARENT_GONE)
        deadline = time.monotonic() + 10
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertFalse(_alive(pid))


class ForkServerImportTests(unittest.TestCase):

    def test_a_fork_server_still_importing_the_app_exits_when_the_jvm_is_gone(self):
        server = WorkerProcess({"role": "preload"}, app="slow_import_app:app")
        self.addCleanup(server.close)
        server.connect()
        time.sleep(0.3)
        self.assertIsNone(server.process.poll())
        server.process.stdin.close()
        self.assertEqual(server.process.wait(10), protocol.EXIT_PARENT_GONE)


def child_ready(pid):
    return ("pid=%d python=%s" % (pid, ".".join(map(str, sys.version_info[:3])))).encode("ascii")


def _cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _alive(pid):
    """Whether the process runs (a zombie, dead but not yet reaped by init, does not count)."""
    try:
        with open("/proc/%d/stat" % pid) as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


if __name__ == "__main__":
    unittest.main()
