package io.github.twodwsgi.worker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.twodwsgi.gateway.Environ;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A worker serves only the JVM that holds the run's secret, and nobody once that JVM is connected;
 * it exits when the JVM is gone.
 */
class WorkerChannelSecurityTests {

	private static final String SECRET = StandaloneWorker.SECRET;

	private StandaloneWorker standalone;

	private Process worker;

	private Path socket;

	@BeforeEach
	void startWorker() throws IOException {
		this.standalone = new StandaloneWorker("gateway_apps:environ_app");
		this.worker = this.standalone.process();
		this.socket = this.standalone.socket();
	}

	@AfterEach
	void stopWorker() {
		this.standalone.close();
	}

	@Test
	void anotherProcessWithoutTheSecretIsNotServed() throws Exception {
		String intruder = """
				import socket, struct, sys
				s = socket.socket(socket.AF_UNIX)
				s.connect(sys.argv[1])
				s.sendall(struct.pack(">BI", ord("H"), 5) + b"guess")
				environ = b"\\x00REQUEST_METHOD\\x00GET\\x00PATH_INFO\\x00/"
				try:
				    s.sendall(struct.pack(">BI", ord("R"), len(environ)) + environ)
				except BrokenPipeError:
				    pass  # refused already
				s.settimeout(5)
				try:
				    print("received", s.recv(100))
				except ConnectionResetError:
				    print("received", b"")
				""";
		Process process = new ProcessBuilder("python3", "-c", intruder, this.socket.toString()).redirectErrorStream(true)
			.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
		assertThat(output.strip()).isEqualTo("received b''");
		assertThat(this.worker.isAlive()).isTrue();
	}

	@Test
	void aConnectionThatSkipsTheHandshakeIsClosed() throws Exception {
		try (FrameChannel intruder = FrameChannel.connect(this.socket)) {
			intruder.write(Frames.REQUEST, Environ.encode(Map.of("REQUEST_METHOD", "GET"), 0));
			intruder.flush();
			assertThatExceptionOfType(IOException.class).isThrownBy(intruder::readFrame);
		}
	}

	@Test
	void theSecretHolderIsServedAndThenNobodyElseCanConnect() throws Exception {
		try (FrameChannel intruder = FrameChannel.connect(this.socket)) {
			intruder.write(Frames.HELLO, "wrong".getBytes(StandardCharsets.US_ASCII));
			intruder.flush();
			assertThatExceptionOfType(IOException.class).isThrownBy(intruder::readFrame);
		}
		try (FrameChannel jvm = FrameChannel.connect(this.socket)) {
			jvm.write(Frames.HELLO, SECRET.getBytes(StandardCharsets.US_ASCII));
			jvm.flush();
			assertThat(jvm.readFrame()).isEqualTo(Frames.READY);
			assertThat(new String(jvm.readPayload(), StandardCharsets.US_ASCII)).startsWith("pid=" + this.worker.pid());
			assertThat(this.socket).doesNotExist();
			assertThatExceptionOfType(IOException.class).isThrownBy(() -> FrameChannel.connect(this.socket));
			jvm.write(Frames.REQUEST,
					Environ.encode(Map.of("REQUEST_METHOD", "GET", "PATH_INFO", "/", "SCRIPT_NAME", ""), 0));
			jvm.flush();
			assertThat(jvm.readFrame()).isEqualTo(Frames.START);
			assertThat(new String(jvm.readPayload(), StandardCharsets.ISO_8859_1)).startsWith("200 OK\0");
		}
	}

	@Test
	void theWorkerExitsWhenItsParentIsGone() throws Exception {
		// The JVM holds the worker's stdin for the worker's whole life; the kernel closes it when the JVM dies.
		this.worker.getOutputStream().close();
		assertThat(this.worker.waitFor(10, TimeUnit.SECONDS)).isTrue();
		assertThat(this.worker.exitValue()).isEqualTo(WorkerExitCode.PARENT_GONE.code());
	}

}
