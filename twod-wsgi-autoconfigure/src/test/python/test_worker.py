"""Unit tests of the worker package (twod_wsgi), run by PythonWorkerTests through unittest.

A socketpair stands in for the JVM: the test reads the worker's frames and answers them.
"""

import io
import logging
import os
import socket
import sys
import threading
import time
import unittest

from twod_wsgi import logbridge, protocol, wsgi
from twod_wsgi.worker import AppLoadError, MiddlewareError, apply_middleware, load_app


def environ_block(environ, flags=0):
    return bytes([flags]) + "\0".join(part for item in environ.items() for part in item).encode("latin-1")


class FakeJvm:
    """The JVM's end of a worker connection: sends a request, answers INPUT, records frames."""

    def __init__(self, body_chunks=(), cancel_after_data=False):
        self.jvm_sock, worker_sock = socket.socketpair()
        self.worker_channel = protocol.Channel(worker_sock)
        self.channel = protocol.Channel(self.jvm_sock)
        self.body_chunks = list(body_chunks)
        self.cancel_after_data = cancel_after_data
        self.frames = []
        self.inputs = 0

    def run(self, app, environ, flags=0):
        """Serves one request through a Handler and returns the frames the worker sent."""
        base = {"REQUEST_METHOD": "GET", "SCRIPT_NAME": "", "PATH_INFO": "/", "QUERY_STRING": ""}
        base.update(environ)
        handler = wsgi.Handler(app, self.worker_channel, wsgi.base_environ())
        thread = threading.Thread(target=self._answer)
        thread.start()
        try:
            handler.handle(environ_block(base, flags))
            thread.join(5)
        finally:
            self.jvm_sock.close()
            self.worker_channel._sock.close()
        return self.frames

    def _answer(self):
        cancelled = False
        while True:
            kind, payload = self.channel.read_frame()
            self.frames.append((chr(kind), payload))
            if kind == protocol.INPUT:
                self.inputs += 1
                chunk = self.body_chunks.pop(0) if self.body_chunks else b""
                self.channel.send(protocol.BODY, chunk)
            elif kind == protocol.DATA and self.cancel_after_data and not cancelled:
                cancelled = True
                self.channel.send(protocol.CANCEL)
            elif kind in (protocol.END, protocol.ERROR, protocol.ABORT):
                return

    def kinds(self):
        return "".join(kind for kind, _ in self.frames)


class _CountingSocket:
    """Counts the writes made through a socket."""

    def __init__(self, sock, writes):
        self._sock = sock
        self._writes = writes

    def sendall(self, data):
        self._writes.append(len(data))
        return self._sock.sendall(data)

    def __getattr__(self, name):
        return getattr(self._sock, name)


def simple_app(body=b"hello", status="200 OK", headers=(("Content-Type", "text/plain"),)):
    def app(environ, start_response):
        start_response(status, list(headers))
        return [body]

    return app


class _TrickleSocket:
    """Hands out what was sent a few bytes per recv_into(), as a slow connection would."""

    def __init__(self, data, step):
        self._data = memoryview(data)
        self._step = step

    def recv_into(self, target):
        count = min(self._step, len(target), len(self._data))
        target[:count] = self._data[:count]
        self._data = self._data[count:]
        return count


def frame(kind, payload=b""):
    return protocol.HEADER.pack(kind, len(payload)) + payload


class ChannelTests(unittest.TestCase):
    def read_all(self, data, step, count):
        channel = protocol.Channel(socket.socket(socket.AF_UNIX, socket.SOCK_STREAM))
        channel._sock.close()
        channel._sock = _TrickleSocket(data, step)
        return [channel.read_frame() for _ in range(count)]

    def test_frames_split_across_receives(self):
        frames = [(protocol.BODY, bytes(range(256)) * 3), (protocol.CANCEL, b""), (protocol.BODY, b"x")]
        data = b"".join(frame(kind, payload) for kind, payload in frames)
        for step in (1, 3, 5, 7, 4096):
            self.assertEqual(frames, self.read_all(data, step, 3), "step %d" % step)

    def test_many_frames_fill_and_wrap_the_buffer(self):
        # More than the 256 KiB receive buffer in total, so unread bytes move to the front.
        frames = [(protocol.BODY, bytes([i % 251]) * (10000 + i)) for i in range(60)]
        data = b"".join(frame(kind, payload) for kind, payload in frames)
        self.assertEqual(frames, self.read_all(data, 65536, 60))

    def test_a_payload_larger_than_the_buffer(self):
        big = bytes(range(256)) * 4097  # just over 1 MiB
        data = frame(protocol.BODY, b"a") + frame(protocol.BODY, big) + frame(protocol.END)
        kinds_and_payloads = self.read_all(data, 100000, 3)
        self.assertEqual((protocol.BODY, b"a"), kinds_and_payloads[0])
        self.assertEqual(big, bytes(kinds_and_payloads[1][1]))
        self.assertEqual((protocol.END, b""), kinds_and_payloads[2])

    def test_end_of_stream_mid_frame_is_connection_closed(self):
        data = frame(protocol.BODY, b"hello")[:-2]
        channel = protocol.Channel(socket.socket(socket.AF_UNIX, socket.SOCK_STREAM))
        channel._sock.close()
        channel._sock = _TrickleSocket(data, 3)
        with self.assertRaises(protocol.ConnectionClosed):
            channel.read_frame()


class LoadAppTests(unittest.TestCase):
    def test_module_and_callable(self):
        self.assertIs(load_app("wsgiref.simple_server:demo_app").__name__, "demo_app")

    def test_default_callable_is_application(self):
        with self.assertRaisesRegex(AppLoadError, "has no attribute 'application'"):
            load_app("wsgiref.simple_server")

    def test_dotted_attribute(self):
        self.assertTrue(callable(load_app("gateway_apps:factory.__call__")))

    def test_factory_with_literal_arguments(self):
        app = load_app("gateway_apps:factory('bonjour')")
        frames = FakeJvm().run(app, {})
        self.assertEqual(frames[1], ("D", b"bonjour"))

    def test_errors_name_the_problem(self):
        cases = {
            ":app": "names no module",
            "gateway_apps:1+": "not a valid",
            "gateway_apps:factory(len)": "must be Python literals",
            "gateway_apps:not_callable": "is a int, not a WSGI callable",
            "gateway_apps:missing": "has no attribute 'missing'",
        }
        for spec, message in cases.items():
            with self.subTest(spec=spec), self.assertRaisesRegex(AppLoadError, message):
                load_app(spec)


class MiddlewareTests(unittest.TestCase):
    def test_first_entry_is_outermost(self):
        app = apply_middleware(simple_app(), [
            {"factory": "gateway_apps:trail_middleware", "args": {"name": "a"}},
            {"factory": "gateway_apps:trail_middleware", "args": {"name": "b"}},
        ])
        environ = {}
        app(environ, lambda status, headers: None)
        self.assertEqual(environ["test.trail"], "a>b>")

    def test_a_failing_factory_names_itself(self):
        with self.assertRaisesRegex(MiddlewareError, r"gateway_apps:broken_middleware \(number 1"):
            apply_middleware(simple_app(), [{"factory": "gateway_apps:broken_middleware"}])

    def test_a_factory_cannot_be_a_call(self):
        with self.assertRaises(MiddlewareError) as failure:
            apply_middleware(simple_app(), [{"factory": "gateway_apps:factory()"}])
        self.assertIn("without a call", str(failure.exception.__cause__))


class SettingsTests(unittest.TestCase):
    def setUp(self):
        from twod_wsgi import settings
        self.settings = settings
        self.addCleanup(settings.load, {})

    def test_attributes_and_dict(self):
        self.settings.load({"TITLE": "x", "N": 2})
        self.assertEqual(self.settings.TITLE, "x")
        self.assertEqual(self.settings.as_dict(), {"TITLE": "x", "N": 2})
        self.assertEqual(self.settings.get("MISSING", 7), 7)
        with self.assertRaises(AttributeError):
            self.settings.MISSING

    def test_merge_adds_extends_and_replaces(self):
        self.settings.load({"NEW": 1, "APPS": ["b", "a"], "HOSTS": ["c"], "DEBUG": True})
        namespace = {"APPS": ("a",), "HOSTS": ["x"], "DEBUG": False}
        with self.assertLogs("twod_wsgi.settings", "INFO") as logs:
            self.settings.merge_into(namespace)
        self.assertEqual(namespace, {"NEW": 1, "APPS": ("a", "b"), "HOSTS": ["x", "c"], "DEBUG": True})
        self.assertIn("setting APPS extended: ['b']", "\n".join(logs.output))
        self.assertIn("setting DEBUG replaced: True", "\n".join(logs.output))

    def test_merge_can_replace_lists(self):
        self.settings.load({"APPS": ["b"]})
        namespace = {"APPS": ["a"]}
        with self.assertLogs("twod_wsgi.settings", "INFO"):
            self.settings.merge_into(namespace, "replace")
        self.assertEqual(namespace, {"APPS": ["b"]})

    def test_secret_values_are_never_logged(self):
        self.settings.load({"SECRET_KEY": "s3cret", "DB_PASSWORD": "hunter2", "API_TOKEN": "t0ken"})
        namespace = {"SECRET_KEY": "old"}
        with self.assertLogs("twod_wsgi.settings", "INFO") as logs:
            self.settings.merge_into(namespace)
        output = "\n".join(logs.output)
        for secret in ("s3cret", "hunter2", "t0ken"):
            self.assertNotIn(secret, output)
        self.assertIn("setting SECRET_KEY replaced", output)

    def test_flask_config_gets_the_settings(self):
        class App:
            config = {"GREETING": "old"}

        self.settings.load({"GREETING": "new"})
        with self.assertLogs("twod_wsgi.settings", "INFO"):
            self.assertTrue(self.settings.apply_to_flask(App))
        self.assertEqual(App.config, {"GREETING": "new"})
        self.assertFalse(self.settings.apply_to_flask(object()))


class InputTests(unittest.TestCase):
    def read_with(self, chunks, reader):
        result = {}

        def app(environ, start_response):
            result["value"] = reader(environ["wsgi.input"])
            start_response("200 OK", [])
            return []

        jvm = FakeJvm(chunks)
        jvm.run(app, {}, protocol.FLAG_HAS_BODY)
        return result["value"], jvm

    def test_read_all(self):
        value, jvm = self.read_with([b"ab", b"cd"], lambda stream: stream.read())
        self.assertEqual(value, b"abcd")
        self.assertEqual(jvm.inputs, 3)

    def test_read_is_lazy(self):
        value, jvm = self.read_with([b"abc", b"def"], lambda stream: stream.read(2))
        self.assertEqual(value, b"ab")
        self.assertEqual(jvm.inputs, 1)

    def test_read_sizes_span_chunks(self):
        value, _ = self.read_with([b"abc", b"def"], lambda stream: [stream.read(4), stream.read(4), stream.read(4)])
        self.assertEqual(value, [b"abcd", b"ef", b""])

    def test_readline_and_size_limit(self):
        value, _ = self.read_with(
            [b"one\ntw", b"o\nthree"], lambda stream: [stream.readline(), stream.readline(2), stream.readline(),
                                                        stream.readline(), stream.readline()]
        )
        self.assertEqual(value, [b"one\n", b"tw", b"o\n", b"three", b""])

    def test_readlines_and_iteration(self):
        value, _ = self.read_with([b"a\nb\n", b"c"], lambda stream: stream.readlines())
        self.assertEqual(value, [b"a\n", b"b\n", b"c"])
        value, _ = self.read_with([b"a\nb\n"], lambda stream: list(stream))
        self.assertEqual(value, [b"a\n", b"b\n"])

    def test_no_body_asks_nothing(self):
        result = {}

        def app(environ, start_response):
            result["body"] = environ["wsgi.input"].read()
            start_response("200 OK", [])
            return []

        jvm = FakeJvm()
        jvm.run(app, {})
        self.assertEqual(result["body"], b"")
        self.assertEqual(jvm.inputs, 0)


class ResponseTests(unittest.TestCase):
    def test_headers_travel_with_the_first_chunk(self):
        jvm = FakeJvm()
        jvm.run(simple_app(headers=[("A", "1"), ("Set-Cookie", "x=1"), ("Set-Cookie", "y=2")]), {})
        self.assertEqual(jvm.kinds(), "SDE")
        self.assertEqual(jvm.frames[0][1], b"200 OK\0A\x001\0Set-Cookie\0x=1\0Set-Cookie\0y=2")

    def test_empty_chunks_do_not_send_headers_early(self):
        def app(environ, start_response):
            start_response("200 OK", [])
            return [b"", b"", b"x"]

        jvm = FakeJvm()
        jvm.run(app, {})
        self.assertEqual(jvm.kinds(), "SDE")

    def test_head_sends_headers_only(self):
        jvm = FakeJvm()
        jvm.run(simple_app(), {"REQUEST_METHOD": "HEAD"})
        self.assertEqual(jvm.kinds(), "SE")

    def test_write_callable(self):
        def app(environ, start_response):
            write = start_response("200 OK", [])
            write(b"one")
            return [b"two"]

        jvm = FakeJvm()
        jvm.run(app, {})
        self.assertEqual([payload for kind, payload in jvm.frames if kind == "D"], [b"one", b"two"])

    def test_error_before_start_is_an_error_frame(self):
        def app(environ, start_response):
            raise ValueError("nope")

        jvm = FakeJvm()
        with self.assertLogs("twod_wsgi", "ERROR") as logs:
            jvm.run(app, {})
        self.assertEqual(jvm.kinds(), "X")
        self.assertIn("ValueError: nope", logs.output[0])

    def test_error_after_start_aborts(self):
        def app(environ, start_response):
            start_response("200 OK", [])
            yield b"partial"
            raise ValueError("late")

        jvm = FakeJvm()
        with self.assertLogs("twod_wsgi", "ERROR"):
            jvm.run(app, {})
        self.assertEqual(jvm.kinds(), "SDZ")

    def test_exc_info_replaces_headers_before_they_are_sent(self):
        def app(environ, start_response):
            start_response("200 OK", [("A", "1")])
            try:
                raise KeyError("x")
            except KeyError:
                start_response("500 Oops", [("B", "2")], sys.exc_info())
            return [b"sorry"]

        jvm = FakeJvm()
        jvm.run(app, {})
        self.assertEqual(jvm.frames[0], ("S", b"500 Oops\0B\x002"))

    def test_exc_info_reraises_once_headers_are_sent(self):
        def app(environ, start_response):
            write = start_response("200 OK", [])
            write(b"sent")
            try:
                raise KeyError("original")
            except KeyError:
                start_response("500 Oops", [], sys.exc_info())
            return []

        jvm = FakeJvm()
        with self.assertLogs("twod_wsgi", "ERROR") as logs:
            jvm.run(app, {})
        self.assertEqual(jvm.kinds(), "SDZ")
        self.assertIn("KeyError: 'original'", logs.output[0])

    def test_second_start_response_without_exc_info_fails(self):
        def app(environ, start_response):
            start_response("200 OK", [])
            start_response("200 OK", [])
            return []

        jvm = FakeJvm()
        with self.assertLogs("twod_wsgi", "ERROR") as logs:
            jvm.run(app, {})
        self.assertEqual(jvm.kinds(), "X")
        self.assertIn("second time without exc_info", logs.output[0])

    def test_invalid_status_and_headers_are_refused(self):
        cases = [
            ("200", []), ("OK", []), (b"200 OK", []), ("200 OK\r\nX: y", []),
            ("200 OK", [("Bad Name", "v")]), ("200 OK", [("X", "a\r\nb")]), ("200 OK", [("X", 1)]),
            ("200 OK", [("Transfer-Encoding", "chunked")]), ("200 OK", [("X", "\u20ac")]), ("200 OK", [["X", "v"]]),
            ("200 OK", [("X", "ok"), ("Y", "a\x00b")]), ("200 OK", [("X", "a\nb")]), ("200 OK", [("X", "a\rb")]),
            (["200 OK"], []), ("200 OK", [(["X"], "v")]),
        ]
        for status, headers in cases:
            with self.subTest(status=status, headers=headers):
                jvm = FakeJvm()
                with self.assertLogs("twod_wsgi", "ERROR"):
                    jvm.run(simple_app(status=status, headers=headers), {})
                self.assertEqual(jvm.kinds(), "X")

    def test_str_bodies_are_refused(self):
        jvm = FakeJvm()
        with self.assertLogs("twod_wsgi", "ERROR") as logs:
            jvm.run(simple_app(body="text"), {})
        self.assertEqual(jvm.kinds(), "X")
        self.assertIn("must produce bytes, not str", logs.output[0])

    def test_a_bad_chunk_in_a_list_is_a_500_not_a_cut(self):
        def app(environ, start_response):
            start_response("200 OK", [])
            return [b"fine", "not bytes"]

        jvm = FakeJvm()
        with self.assertLogs("twod_wsgi", "ERROR"):
            jvm.run(app, {})
        self.assertEqual(jvm.kinds(), "X")

    def test_a_complete_body_written_before_a_list_is_returned_is_kept(self):
        # write() of the whole Content-Length holds the frames; returning a list must not drop them.
        def app(environ, start_response):
            write = start_response("200 OK", [("Content-Length", "3")])
            write(b"abc")
            return []

        jvm = FakeJvm()
        self.assertEqual(jvm.run(app, {}), [("S", b"200 OK\0Content-Length\x003"), ("D", b"abc"), ("E", b"")])

    def test_a_list_response_is_one_write(self):
        jvm = FakeJvm()
        writes = []
        jvm.worker_channel._sock = _CountingSocket(jvm.worker_channel._sock, writes)
        jvm.run(simple_app(), {})
        self.assertEqual(jvm.kinds(), "SDE")
        self.assertEqual(len(writes), 1)

    def test_a_complete_first_chunk_leaves_before_the_iterable_is_closed(self):
        closing = threading.Event()

        class Body:
            def __iter__(self):
                yield b"hello"

            def close(self):
                # Django's request_finished receivers run here: the body must be out already.
                closing.set()
                time.sleep(0.3)

        def app(environ, start_response):
            start_response("200 OK", [("Content-Length", "5")])
            return Body()

        jvm = FakeJvm()
        writes = []
        jvm.worker_channel._sock = _CountingSocket(jvm.worker_channel._sock, writes)
        jvm.run(app, {})
        self.assertEqual(jvm.kinds(), "SDE")
        # START with DATA in one write, then END once close() returned.
        self.assertEqual(len(writes), 2)
        self.assertTrue(closing.is_set())

    def test_a_body_without_content_length_is_declared_complete_before_close(self):
        seen_at_close = []

        class Body:
            def __init__(self, jvm):
                self._jvm = jvm

            def __iter__(self):
                yield b"one, "
                yield b"two"

            def close(self):
                time.sleep(0.1)  # the JVM has had time to read what came before close()
                seen_at_close.append(self._jvm.kinds())

        jvm = FakeJvm()

        def app(environ, start_response):
            start_response("200 OK", [("Content-Type", "text/plain")])
            return Body(jvm)

        jvm.run(app, {})
        self.assertEqual("SDDTE", jvm.kinds())
        self.assertEqual(["SDDT"], seen_at_close)

    def test_no_body_end_for_lists_content_length_or_head(self):
        for environ, headers, kinds in (({}, [("Content-Length", "2")], "SDE"), ({"REQUEST_METHOD": "HEAD"}, [], "SE")):
            def app(environ, start_response, headers=headers):
                start_response("200 OK", headers)
                yield b"ok"

            jvm = FakeJvm()
            jvm.run(app, environ)
            self.assertEqual(kinds, jvm.kinds())
        listed = FakeJvm()
        listed.run(lambda environ, start_response: start_response("200 OK", []) and [b"ok"], {})
        self.assertEqual("SDE", listed.kinds())

    def test_nothing_past_the_content_length_is_sent_and_the_iteration_stops(self):
        produced = []

        def app(environ, start_response):
            start_response("200 OK", [("Content-Length", "8")])

            def endless():
                while True:
                    produced.append(1)
                    yield b"12345"

            return endless()

        jvm = FakeJvm()
        with self.assertLogs("twod_wsgi", "WARNING") as logs:
            frames = jvm.run(app, {})
        body = b"".join(payload for kind, payload in frames if kind == "D")
        self.assertEqual(b"12345123", body)
        self.assertEqual(2, len(produced))
        self.assertIn("more than its Content-Length", logs.output[0])

    def test_an_interim_status_is_refused(self):
        for status in ("100 Continue", "101 Switching Protocols", "103 Early Hints", "199 Whatever"):
            def app(environ, start_response, status=status):
                start_response(status, [])
                return [b""]

            jvm = FakeJvm()
            with self.assertLogs("twod_wsgi", "ERROR") as logs:
                jvm.run(app, {})
            self.assertEqual("X", jvm.kinds(), status)
            self.assertIn("interim status", "".join(logs.output))

    def test_control_characters_in_header_values_are_refused(self):
        for value in ("a\x01b", "a\x7fb", "a\rb", "a\nb", "a\x00b", "a\x1fb"):
            def app(environ, start_response, value=value):
                start_response("200 OK", [("X-Value", value)])
                return [b"never"]

            jvm = FakeJvm()
            with self.assertLogs("twod_wsgi", "ERROR"):
                jvm.run(app, {})
            self.assertEqual("X", jvm.kinds(), repr(value))
        tabbed = FakeJvm()
        tabbed.run(lambda environ, start_response: start_response("200 OK", [("X-Value", "a\tb")]) and [b"ok"], {})
        self.assertEqual("SDE", tabbed.kinds())

    def test_a_streamed_response_is_written_chunk_by_chunk(self):
        def app(environ, start_response):
            start_response("200 OK", [("Content-Length", "10")])
            yield b"hello"
            yield b"world"

        jvm = FakeJvm()
        writes = []
        jvm.worker_channel._sock = _CountingSocket(jvm.worker_channel._sock, writes)
        jvm.run(app, {})
        self.assertEqual(jvm.kinds(), "SDDE")
        self.assertEqual(len(writes), 3)

    def test_close_is_called_always(self):
        closed = []

        class Body:
            def __init__(self, fail):
                self.fail = fail

            def __iter__(self):
                yield b"x"
                if self.fail:
                    raise RuntimeError("fail")

            def close(self):
                closed.append(self.fail)

        for fail in (False, True):
            def app(environ, start_response, fail=fail):
                start_response("200 OK", [])
                return Body(fail)

            with self.assertLogs("twod_wsgi", "DEBUG"):
                logging.getLogger("twod_wsgi").debug("capture")
                FakeJvm().run(app, {})
        self.assertEqual(closed, [False, True])

    def test_cancel_stops_the_iteration_and_closes(self):
        produced = []
        closed = []

        class Endless:
            def __iter__(self):
                for number in range(1000):
                    produced.append(number)
                    yield b"chunk"

            def close(self):
                closed.append(True)

        def app(environ, start_response):
            start_response("200 OK", [])
            return Endless()

        jvm = FakeJvm(cancel_after_data=True)
        jvm.run(app, {})
        self.assertLess(len(produced), 1000)
        self.assertEqual(closed, [True])
        self.assertTrue(jvm.kinds().endswith("E"))

    def test_file_wrapper(self):
        def app(environ, start_response):
            start_response("200 OK", [])
            return environ["wsgi.file_wrapper"](io.BytesIO(b"abcdef"), 4)

        jvm = FakeJvm()
        jvm.run(app, {})
        self.assertEqual([payload for kind, payload in jvm.frames if kind == "D"], [b"abcd", b"ef"])


class RequestEndTests(unittest.TestCase):
    """The objects handed to the app act for their own request only."""

    def test_input_write_and_errors_refuse_to_act_after_the_request(self):
        kept = {}

        def app(environ, start_response):
            kept["write"] = start_response("200 OK", [])
            kept["input"] = environ["wsgi.input"]
            kept["errors"] = environ["wsgi.errors"]
            return [b"done"]

        jvm = FakeJvm(body_chunks=[b"body"])
        jvm.run(app, {}, flags=protocol.FLAG_HAS_BODY)
        self.assertEqual("SDE", jvm.kinds())
        with self.assertRaises(wsgi.RequestEnded):
            kept["input"].read()
        with self.assertRaises(wsgi.RequestEnded):
            kept["input"].readline()
        with self.assertRaises(wsgi.RequestEnded):
            kept["write"](b"late")
        with self.assertRaises(wsgi.RequestEnded):
            kept["errors"].write("late\n")
        self.assertEqual(0, jvm.inputs)

    def test_a_thread_of_the_app_reads_the_body_in_turn_with_the_response(self):
        def app(environ, start_response):
            start_response("200 OK", [])
            got = []
            reader = threading.Thread(target=lambda: got.append(environ["wsgi.input"].read()))

            def generate():
                reader.start()
                for number in range(20):
                    yield b"chunk %d;" % number
                reader.join(5)
                yield b"read " + got[0]

            return generate()

        jvm = FakeJvm(body_chunks=[b"from ", b"a thread"])
        frames = jvm.run(app, {}, flags=protocol.FLAG_HAS_BODY)
        body = b"".join(payload for kind, payload in frames if kind == "D")
        self.assertTrue(body.endswith(b"read from a thread"), body)
        self.assertEqual("E", jvm.kinds()[-1])


class ErrorStreamTests(unittest.TestCase):
    def test_lines_become_records(self):
        stream = wsgi.ErrorStream()
        with self.assertLogs("wsgi.errors", "ERROR") as logs:
            stream.write("one\ntw")
            stream.writelines(["o\n", "three"])
            stream.flush()
        self.assertEqual([record.getMessage() for record in logs.records], ["one", "two", "three"])

    def test_bytes_are_refused(self):
        with self.assertRaises(TypeError):
            wsgi.ErrorStream().write(b"bytes")


class LogForgingTests(unittest.TestCase):
    def test_a_logged_value_cannot_start_a_record_of_its_own(self):
        stream = io.StringIO()
        logger = logging.getLogger("forging-test")
        logger.addHandler(logbridge.JvmHandler(stream))
        logger.propagate = False
        try:
            logger.warning("user said: %s", "x\r\x1e40\x1fdjango.security\x1fAdmin password reset\nsecond line")
        finally:
            logger.handlers.clear()
        output = stream.getvalue()
        self.assertEqual(1, output.count("\n"))
        self.assertNotIn("\r", output)
        self.assertEqual(1, output.count(logbridge.RECORD_MARK))
        self.assertTrue(output.startswith(logbridge.RECORD_MARK + "30" + logbridge.FIELD_SEPARATOR + str(os.getpid())
                                          + logbridge.FIELD_SEPARATOR + "forging-test"))
        self.assertIn("x\\x0d\\x1e40\\x1fdjango.security", output)

    def test_raw_writes_to_stderr_cannot_start_a_record(self):
        stream = io.StringIO()
        logbridge.PlainStream(stream).write("boom\r\x1e40\x1fforged\x1fmessage\n")
        self.assertNotIn("\r", stream.getvalue())
        self.assertNotIn(logbridge.RECORD_MARK, stream.getvalue())


class LogBridgeTests(unittest.TestCase):
    def test_records_are_one_marked_line(self):
        out = io.StringIO()
        handler = logbridge.JvmHandler(out)
        record = logging.LogRecord("my.logger", logging.WARNING, __file__, 1, "two\nlines", None, None)
        handler.emit(record)
        self.assertEqual(out.getvalue(), "\x1e30\x1f%d\x1fmy.logger\x1ftwo\x1dlines\n" % os.getpid())


if __name__ == "__main__":
    unittest.main()
