"""A twod-wsgi worker: imports one WSGI application and serves the JVM's requests.

The life of a worker:
  1. read the run's secret and the boot configuration from stdin; a thread then waits for
     end-of-file on stdin, which means the JVM is gone (even if it was killed), and ends the process;
  2. bind the Unix socket the JVM named and accept connections until one presents the secret;
  3. import the application, run the per-worker hooks and report READY, or BOOT_ERROR with the
     traceback and exit;
  4. with N threads, accept N-1 more connections that present the secret, then stop listening: no
     other local process can reach the app around the JVM's filters;
  5. serve REQUEST frames, one at a time per connection, a thread per connection, until the JVM
     closes the connections, or SIGTERM asks for a stop (requests in progress are finished first).

With preload, the process the JVM starts is a fork server instead (see forkserver.py): it imports
the application once and forks workers, which begin at step 2 with the application in memory.
"""

import argparse
import ast
import gc
import hmac
import importlib
import json
import logging
import os
import platform
import select
import signal
import socket
import sys
import threading
import traceback

from . import hooks, logbridge, protocol, settings, wsgi

log = logging.getLogger("twod_wsgi")


class AppLoadError(Exception):
    """The application spec does not name a WSGI callable."""


def load_app(spec):
    """Imports "module:callable", "module:obj.attr" or "module:factory(literal args)", as gunicorn does."""
    target = load_object(spec, calls=True)
    if not callable(target):
        raise AppLoadError("%r is a %s, not a WSGI callable" % (spec, type(target).__name__))
    return target


def apply_middleware(app, middleware):
    """Wraps the app in each middleware, the first entry outermost: factory(app, **args)."""
    for number, entry in reversed(list(enumerate(middleware, 1))):
        try:
            factory = load_object(entry["factory"], calls=False)
            app = factory(app, **entry.get("args", {}))
            if not callable(app):
                raise AppLoadError("%r returned a %s, not a WSGI callable" % (entry["factory"], type(app).__name__))
        except BaseException as e:
            raise MiddlewareError("WSGI middleware %s (number %d, outermost first) could not be applied"
                                  % (entry["factory"], number)) from e
    return app


class MiddlewareError(Exception):
    """A middleware factory could not be imported or called."""


def load_object(spec, calls):
    """The object "module:name.attr" names; with calls, "module:factory(literal args)" is called."""
    module_name, _, expression = spec.partition(":")
    if not module_name:
        raise AppLoadError("%r names no module: expected 'module:callable'" % spec)
    try:
        node = ast.parse(expression or "application", mode="eval").body
    except SyntaxError:
        raise AppLoadError("%r is not a valid 'module:callable' expression" % spec) from None
    call = node if isinstance(node, ast.Call) else None
    if call is not None and not calls:
        raise AppLoadError("%r must name a callable, without a call" % spec)
    names = _attribute_path(call.func if call else node, spec)
    target = importlib.import_module(module_name)
    for name in names:
        try:
            target = getattr(target, name)
        except AttributeError:
            raise AppLoadError("module %r has no attribute %r (from %r)" % (module_name, ".".join(names), spec)) from None
    if call is not None:
        try:
            args = [ast.literal_eval(arg) for arg in call.args]
            kwargs = {keyword.arg: ast.literal_eval(keyword.value) for keyword in call.keywords}
        except ValueError:
            raise AppLoadError("the arguments of %r must be Python literals" % spec) from None
        target = target(*args, **kwargs)
    return target


def _attribute_path(node, spec):
    names = []
    while isinstance(node, ast.Attribute):
        names.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        raise AppLoadError("%r is not a valid 'module:callable' expression" % spec)
    names.append(node.id)
    return names[::-1]


class BootFailure(Exception):
    """The application cannot start: the message is the one-line reason, the cause has the traceback."""


def load_application(args, config):
    """Applies the settings, imports the app and wraps it in its middleware."""
    settings.load(config.get("settings", {}), config.get("django"))
    if settings.django_settings_module():
        os.environ["DJANGO_SETTINGS_MODULE"] = "twod_wsgi.django_settings"
        try:
            importlib.import_module("twod_wsgi.django_settings")
        except BaseException as e:
            raise BootFailure("the Django settings module %s could not be loaded"
                              % settings.django_settings_module()) from e
    try:
        app = load_app(args.app)
    except BaseException as e:
        raise BootFailure("the application could not be loaded") from e
    settings.apply_to_flask(app)
    try:
        return apply_middleware(app, config.get("middleware", []))
    except MiddlewareError as e:
        raise BootFailure(str(e)) from e.__cause__


class Listener:
    """The worker's private socket: accepts only connections that present the run's secret."""

    def __init__(self, path, secret, handshake_timeout, backlog=8):
        self._path = path
        self._secret = secret
        self._handshake_timeout = handshake_timeout
        self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        previous_umask = os.umask(0o177)
        try:
            self._socket.bind(path)
        finally:
            os.umask(previous_umask)
        # The JVM opens a connection per thread in a row (on macOS a full backlog refuses them).
        self._socket.listen(max(8, backlog))

    def accept(self, timeout=None):
        """Accepts connections until one presents the secret, and gives its channel; with a timeout,
        raises socket.timeout when none comes in time."""
        self._socket.settimeout(timeout)
        while True:
            sock, _ = self._socket.accept()
            sock.settimeout(self._handshake_timeout)
            channel = protocol.Channel(sock)
            try:
                kind, payload = channel.read_frame()
                if kind == protocol.HELLO and hmac.compare_digest(payload, self._secret):
                    sock.settimeout(None)
                    return channel
            except (OSError, protocol.ConnectionClosed):
                pass
            log.warning("refused a connection to worker %d that did not present the run's secret", os.getpid())
            sock.close()

    def forget(self):
        """Closes this process's copy of the socket, leaving it to the process it was forked for."""
        self._socket.close()

    def close(self):
        """Stops listening: from now on nothing can connect to this worker."""
        self._socket.close()
        try:
            os.unlink(self._path)
        except FileNotFoundError:
            pass


class Worker:
    def __init__(self, args):
        self.args = args
        self.stop_requested = False
        self.idle = False

    def run(self):
        secret = _read_line(0)
        config = json.loads(_read_line(0) or b"{}")
        preload = config.get("role") == "preload"
        # A fork server watches stdin in its own loop once the app is imported (it must be
        # single-threaded to fork safely); until then, a thread that it stops before forking.
        import_watch = watch_parent(stoppable=preload)
        sys.stdin = open(os.devnull)
        logbridge.install(self.args.log_level)
        self.install_signal_handlers()
        sys.path[0:0] = self.args.python_path
        _forget_own_pythonpath()
        try:
            listener = Listener(self.args.socket, secret, self.args.handshake_timeout, int(config.get("threads", 1)))
            channel = listener.accept()
        except OSError as e:
            log.error("worker could not open its socket %s: %s", self.args.socket, e)
            return protocol.EXIT_BOOT_ERROR
        if preload:
            # No collections while the app is imported: they would leave holes in pages that the
            # workers are to share (the recipe of the gc module's documentation, with freeze() below).
            gc.disable()
        try:
            app = load_application(self.args, config)
        except BootFailure as e:
            listener.close()
            return _boot_error(channel, str(e), e.__cause__)
        if preload:
            listener.close()
            import_watch.stop()
            from . import forkserver
            return forkserver.ForkServer(self, channel, app, config, secret).run()
        return self.serve(listener, channel, app, config)

    def serve(self, listener, channel, app, config):
        """Runs the hooks, reports READY on the first connection, accepts the others and serves them."""
        startup = config.get("startup", {})
        role = config.get("role", "worker")
        try:
            if role == "once":
                hooks.run_hooks(startup.get("once", []), "once", load_object)
            else:
                hooks.run_hooks(startup.get("per_worker", []), "per-worker", load_object)
        except hooks.HookError as e:
            listener.close()
            return _boot_error(channel, str(e), e.__cause__)
        ready = ("pid=%d python=%s" % (os.getpid(), platform.python_version())).encode("ascii")
        threads = 1 if role == "once" else max(1, int(config.get("threads", 1)))
        channels = [channel]
        try:
            if threads > 1:
                # The JVM opens the other connections once the first is READY.
                channel.send(protocol.READY, ready)
                while len(channels) < threads:
                    channels.append(listener.accept())
        finally:
            # Closed before the last READY: once the JVM has it, nothing else can connect.
            listener.close()
        for each in channels[1:] if threads > 1 else channels:
            each.send(protocol.READY, ready)
        if role == "once":
            return protocol.EXIT_OK
        if threads == 1:
            return self._serve(channel, wsgi.Handler(app, channel, wsgi.base_environ(multithread=False)))
        return self._serve_in_threads(app, channels)

    def install_signal_handlers(self):
        # Ctrl-C in a terminal reaches the whole process group: the JVM decides when workers stop.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, self._handle_sigterm)

    def _handle_sigterm(self, signum, frame):
        self.stop_requested = True
        if self.idle:
            # Between requests: leave the blocking read. A request in progress finishes first.
            raise _StopServing()

    def _serve(self, channel, handler):
        try:
            while not self.stop_requested:
                # A plain blocking read between requests (no poll first: one syscall less per
                # request); SIGTERM interrupts it through _handle_sigterm.
                self.idle = True
                try:
                    kind, payload = channel.read_frame()
                finally:
                    self.idle = False
                if kind == protocol.REQUEST:
                    handler.handle(payload)
                elif kind != protocol.CANCEL:  # a CANCEL here came after its response had ended
                    raise protocol.ProtocolError("unexpected frame %r between requests" % chr(kind))
        except _StopServing:
            pass
        except (protocol.ConnectionClosed, BrokenPipeError, ConnectionResetError):
            return protocol.EXIT_OK
        except protocol.ProtocolError as e:
            log.error("worker %d stopping: %s", os.getpid(), e)
            return protocol.EXIT_PROTOCOL_ERROR
        finally:
            # Done serving: from here on SIGTERM ends the process at once (threads the app left behind
            # must not keep it alive).
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
        log.info("worker %d stopping on SIGTERM", os.getpid())
        return protocol.EXIT_OK

    def _serve_in_threads(self, app, channels):
        """A thread per connection, as gunicorn's gthread worker has a thread per request; the main
        thread waits for them, and for SIGTERM."""
        lanes = [_Lane(channel, wsgi.Handler(app, channel, wsgi.base_environ(multithread=True)), number)
                 for number, channel in enumerate(channels, 1)]
        for lane in lanes:
            lane.start()
        stopping = False
        try:
            alive = lanes
            while alive:
                if self.stop_requested and not stopping:
                    # Each thread finishes its request in progress, then leaves; idle ones at once.
                    log.info("worker %d stopping on SIGTERM", os.getpid())
                    stopping = True
                    for lane in alive:
                        lane.stop()
                alive[0].join(0.1)
                alive = [lane for lane in alive if lane.is_alive()]
        finally:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
        return protocol.EXIT_OK if stopping else max(lane.exit_code for lane in lanes)


class _Lane(threading.Thread):
    """Serves the requests of one connection, one at a time."""

    def __init__(self, channel, handler, number):
        super().__init__(name="twod-wsgi-thread-%d" % number, daemon=True)
        self._channel = channel
        self._handler = handler
        self.busy = False
        self.stopping = False
        self.exit_code = protocol.EXIT_OK

    def stop(self):
        """Leave after the request in progress; an idle thread leaves its blocking read at once."""
        self.stopping = True
        if not self.busy:
            self._channel.stop_reading()

    def run(self):
        try:
            while not self.stopping:
                kind, payload = self._channel.read_frame()
                if kind == protocol.REQUEST:
                    self.busy = True
                    try:
                        self._handler.handle(payload)
                    finally:
                        self.busy = False
                elif kind != protocol.CANCEL:
                    raise protocol.ProtocolError("unexpected frame %r between requests" % chr(kind))
        except (protocol.ConnectionClosed, BrokenPipeError, ConnectionResetError):
            pass
        except protocol.ProtocolError as e:
            log.error("worker %d stopping: %s", os.getpid(), e)
            self.exit_code = protocol.EXIT_PROTOCOL_ERROR
            self._channel.close()
        except Exception:
            # Not the app's error (those are answered): the JVM sees the connection close and
            # replaces the worker, as it would a single-threaded worker that crashed.
            log.exception("worker %d: %s failed", os.getpid(), self.name)
            self.exit_code = protocol.EXIT_PROTOCOL_ERROR
            self._channel.close()


class _StopServing(Exception):
    """Raised by the SIGTERM handler to leave the wait for the next request."""


def _boot_error(channel, reason, error=None):
    """Reports why the app cannot start, a line of reason then the traceback, and gives the exit code."""
    if error is None:
        details = traceback.format_exc()
    else:
        details = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    channel.send(protocol.BOOT_ERROR, (reason + "\n" + details).encode("utf-8", "replace"))
    return protocol.EXIT_APP_LOAD_ERROR


def watch_parent(stoppable=False):
    """Ends the process when the JVM is gone: a thread waits for end-of-file on stdin. A stoppable
    watch polls, so that stop() ends the thread (a fork server stops it before it forks)."""
    if not stoppable:
        threading.Thread(target=_exit_when_parent_is_gone, name="twod-wsgi-parent-watch", daemon=True).start()
        return None
    return _StoppableParentWatch()


class _StoppableParentWatch(threading.Thread):
    def __init__(self):
        super().__init__(name="twod-wsgi-parent-watch", daemon=True)
        self._wake_read, self._wake_write = os.pipe()
        self.start()

    def run(self):
        poller = select.poll()
        poller.register(0, select.POLLIN)
        poller.register(self._wake_read, select.POLLIN)
        while True:
            for fd, _ in poller.poll():
                if fd == self._wake_read:
                    return
                try:
                    if os.read(0, 4096):
                        continue
                except OSError:
                    pass
                os._exit(protocol.EXIT_PARENT_GONE)

    def stop(self):
        os.write(self._wake_write, b"x")
        self.join()
        os.close(self._wake_read)
        os.close(self._wake_write)


def _read_line(fd):
    line = b""
    while not line.endswith(b"\n"):
        chunk = os.read(fd, 1)
        if not chunk:
            break
        line += chunk
    return line.strip()


def _exit_when_parent_is_gone():
    """The JVM holds our stdin open for our whole life: end-of-file means it is gone."""
    while True:
        try:
            if not os.read(0, 4096):
                break
        except InterruptedError:
            continue
        except OSError:
            break
    os._exit(protocol.EXIT_PARENT_GONE)


def _forget_own_pythonpath():
    """The JVM put this package first on PYTHONPATH: keep it from the app's own child processes."""
    entries = os.environ.get("PYTHONPATH", "").split(os.pathsep)
    own = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    rest = [entry for entry in entries if entry and os.path.abspath(entry) != own]
    if rest:
        os.environ["PYTHONPATH"] = os.pathsep.join(rest)
    else:
        os.environ.pop("PYTHONPATH", None)


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m twod_wsgi.worker", description=__doc__.splitlines()[0])
    parser.add_argument("--name", required=True, help="the app's name in the Spring configuration")
    parser.add_argument("--app", required=True, help="module:callable or module:factory()")
    parser.add_argument("--socket", required=True, help="path of the Unix socket to listen on")
    parser.add_argument("--python-path", action="append", default=[], help="prepended to sys.path")
    parser.add_argument("--log-level", default="INFO", help="level of the Python root logger")
    parser.add_argument("--handshake-timeout", type=float, default=10.0, help="seconds to wait for HELLO")
    return parser.parse_args(argv)


def main(argv=None):
    sys.exit(Worker(parse_args(argv)).run())


if __name__ == "__main__":
    main()
