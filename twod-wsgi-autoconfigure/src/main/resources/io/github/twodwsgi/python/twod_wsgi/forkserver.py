"""The preload parent of an app: imports it once, then forks a worker whenever the JVM asks.

Workers forked from one parent share the pages of the imported code and data with it (copy on
write). The collector is off while the app is imported (no holes in those pages), and gc.freeze()
then moves everything imported out of its reach, so that collections in the workers do not write to
those pages (and so copy them); the workers enable it again. A worker starts in a few milliseconds,
as nothing is imported again.

The parent stays single-threaded (fork copies only the calling thread, and locks held by other
threads would stay locked forever in the child) and waits in one poll() for:
  - SPAWN frames from the JVM (payload: "<role>\0<socket path>", the role "worker" or "once"): it
    binds the worker's socket, forks, and answers SPAWNED with the child's pid (-1 if it could not);
  - SIGCHLD (through a wakeup pipe): it reaps the children and tells the JVM, EXITED "<pid> <code>",
    the code as the JVM reports exits (128 + the signal for a death by signal);
  - end-of-file on stdin: the JVM is gone, and so is the parent (the children see it too);
  - end-of-file on its connection: the JVM is done with this parent; it leaves once its children
    have, which the JVM stops first.
Children ask the kernel to kill them when the parent dies (Linux; elsewhere a thread watches the
parent's pid), so that killing the parent leaves no orphan serving on.
"""

import atexit
import gc
import logging
import os
import platform
import select
import signal
import sys
import threading
import traceback

from . import logbridge, protocol
from .worker import Listener, watch_parent

log = logging.getLogger("twod_wsgi")

_PR_SET_PDEATHSIG = 1


class ForkServer:
    def __init__(self, worker, channel, app, config, secret):
        self._worker = worker
        self._channel = channel
        self._app = app
        self._config = config
        self._secret = secret
        self._children = set()
        self._jvm_done = False
        self._stopping = False
        self._set_parent_death_signal = _parent_death_signal_setter()

    def run(self):
        _close_django_connections()
        _warn_about_threads()
        # Everything imported so far is shared with the workers: keep their collectors' hands off it
        # (the collector, disabled during the import, is enabled again in each worker).
        gc.freeze()
        wakeup_read, wakeup_write = os.pipe()
        os.set_blocking(wakeup_read, False)
        os.set_blocking(wakeup_write, False)
        signal.set_wakeup_fd(wakeup_write)
        signal.signal(signal.SIGCHLD, lambda signum, frame: None)
        signal.signal(signal.SIGTERM, self._handle_sigterm)
        self._wakeup = (wakeup_read, wakeup_write)
        ready = "pid=%d python=%s" % (os.getpid(), platform.python_version())
        self._channel.send(protocol.READY, ready.encode("ascii"))
        poller = select.poll()
        connection = self._channel.fileno()
        poller.register(connection, select.POLLIN)
        poller.register(0, select.POLLIN)
        poller.register(wakeup_read, select.POLLIN)
        while True:
            for fd, _ in poller.poll():
                if fd == 0:
                    if not _still_open(0):
                        os._exit(protocol.EXIT_PARENT_GONE)
                elif fd == wakeup_read:
                    _drain(wakeup_read)
                elif fd == connection:
                    if not self._read_requests():
                        poller.unregister(connection)
            self._reap()
            if self._stopping and not self._children:
                return protocol.EXIT_OK
            if self._jvm_done and not self._children:
                return protocol.EXIT_OK

    def _handle_sigterm(self, signum, frame):
        # Stop as a worker would: the children finish their requests first.
        self._stopping = True
        for pid in list(self._children):
            _signal(pid, signal.SIGTERM)

    def _read_requests(self):
        """Handles the JVM's frames that have arrived; False once the JVM closed the connection."""
        try:
            while True:
                kind, payload = self._channel.read_frame()
                if kind != protocol.SPAWN:
                    raise protocol.ProtocolError("unexpected frame %r at the fork server" % chr(kind))
                role, _, path = bytes(payload).partition(b"\0")
                try:
                    pid = self._fork(role.decode("ascii"), os.fsdecode(path))
                except OSError as e:
                    log.error("could not fork a worker listening on %s: %s", os.fsdecode(path), e)
                    pid = -1
                self._channel.send(protocol.SPAWNED, str(pid).encode("ascii"))
                if not self._channel.has_buffered():
                    return True
        except (protocol.ConnectionClosed, BrokenPipeError, ConnectionResetError):
            self._jvm_done = True
            return False

    def _fork(self, role, socket_path):
        # The worker's socket listens before the fork: the JVM connects as soon as it has the pid
        # (its connection waits in the backlog until the worker accepts it).
        listener = Listener(socket_path, self._secret, self._worker.args.handshake_timeout,
                            int(self._config.get("threads", 1)))
        parent = os.getpid()
        try:
            pid = os.fork()
        except OSError:
            listener.close()
            raise
        if pid:
            listener.forget()
            self._children.add(pid)
            return pid
        code = protocol.EXIT_BOOT_ERROR
        try:
            code = self._become_worker(parent, role, listener)
        except SystemExit as e:
            code = e.code if isinstance(e.code, int) else protocol.EXIT_BOOT_ERROR
        except BaseException:
            traceback.print_exc()
        finally:
            # What sys.exit would do in a worker of its own: the app's exit handlers (a flush of its
            # error reporting, say), then the logs.
            try:
                atexit._run_exitfuncs()
            except BaseException:
                traceback.print_exc()
            logging.shutdown()
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)

    def _become_worker(self, parent, role, listener):
        """In the child: leave the parent's duties behind, then boot as a worker with the app in memory."""
        # First of all: the fork server's SIGTERM handler would signal this worker's siblings.
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        gc.enable()
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        os.close(self._wakeup[0])
        os.close(self._wakeup[1])
        self._channel.close()
        if not self._set_parent_death_signal():
            _watch_parent_pid(parent)
        if os.getppid() != parent:
            return protocol.EXIT_PARENT_GONE  # the parent died while forking
        watch_parent()
        self._worker.install_signal_handlers()
        try:
            # The JVM connects as soon as it has the pid; a JVM that does not must not leave this
            # process waiting forever.
            channel = listener.accept(timeout=self._worker.args.handshake_timeout)
        except OSError as e:
            log.error("worker could not accept the JVM's connection: %s", e)
            listener.close()
            return protocol.EXIT_BOOT_ERROR
        return self._worker.serve(listener, channel, self._app, dict(self._config, role=role))

    def _reap(self):
        while self._children:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                self._children.clear()
                return
            if not pid:
                return
            self._children.discard(pid)
            code = 128 + os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
            if not self._jvm_done:
                try:
                    self._channel.send(protocol.EXITED, ("%d %d" % (pid, code)).encode("ascii"))
                except OSError:
                    self._jvm_done = True


def _close_django_connections():
    """A connection opened while importing must not be shared by every worker (gunicorn's advice too)."""
    db = sys.modules.get("django.db")
    if db is None:
        return
    try:
        db.connections.close_all()
    except Exception:
        log.warning("could not close Django's database connections before forking", exc_info=True)


def _warn_about_threads():
    others = [thread.name for thread in threading.enumerate() if thread is not threading.main_thread()]
    if others:
        log.warning("threads were started while the app was imported (%s): fork copies only the main "
                    "thread, so the workers will not have them; start them in a per-worker hook, or set "
                    "preload to false", ", ".join(others))


def _parent_death_signal_setter():
    """A function that asks the kernel to SIGKILL the calling process when its parent dies (Linux),
    or that returns False where that is not possible. ctypes is loaded here, before the forks."""
    if not sys.platform.startswith("linux"):
        return lambda: False
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        prctl = libc.prctl
    except (OSError, AttributeError):
        return lambda: False

    def set_signal():
        return prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0

    return set_signal


def _watch_parent_pid(parent):
    def watch():
        while os.getppid() == parent:
            threading.Event().wait(1.0)
        os._exit(protocol.EXIT_PARENT_GONE)

    threading.Thread(target=watch, name="twod-wsgi-parent-pid-watch", daemon=True).start()


def _still_open(fd):
    try:
        return bool(os.read(fd, 4096))
    except BlockingIOError:
        return True
    except OSError:
        return False


def _drain(fd):
    try:
        while os.read(fd, 512):
            pass
    except BlockingIOError:
        pass


def _signal(pid, signum):
    try:
        os.kill(pid, signum)
    except ProcessLookupError:
        pass
