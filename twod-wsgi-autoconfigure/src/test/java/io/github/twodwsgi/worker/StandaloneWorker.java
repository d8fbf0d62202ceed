package io.github.twodwsgi.worker;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A worker process started by hand, as the JVM's launcher would (secret and boot configuration on
 * stdin), for tests of the worker's own behaviour.
 */
final class StandaloneWorker implements AutoCloseable {

	static final String SECRET = "0123456789abcdef-the-runs-secret";

	private final RunDirectory runDirectory = RunDirectory.create();

	private final Path socket = this.runDirectory.newSocketPath();

	private final Process process;

	StandaloneWorker(String app) throws IOException {
		ProcessBuilder builder = new ProcessBuilder("python3", "-m", "twod_wsgi.worker", "--name", "standalone",
				"--app", app, "--socket", this.socket.toString(), "--python-path",
				Path.of("src/test/python").toAbsolutePath().toString())
			.redirectError(ProcessBuilder.Redirect.INHERIT)
			.redirectOutput(ProcessBuilder.Redirect.INHERIT);
		builder.environment().put("PYTHONPATH", this.runDirectory.workerCode().toString());
		this.process = builder.start();
		OutputStream stdin = this.process.getOutputStream();
		// The JVM sends the secret, then the boot configuration (JSON), one line each.
		stdin.write((SECRET + "\n{}\n").getBytes(StandardCharsets.US_ASCII));
		stdin.flush();
		await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(this.socket));
	}

	Process process() {
		return this.process;
	}

	Path socket() {
		return this.socket;
	}

	/** Connects with the secret and waits until the worker is ready. */
	FrameChannel connect() throws IOException {
		FrameChannel channel = FrameChannel.connect(this.socket);
		channel.write(Frames.HELLO, SECRET.getBytes(StandardCharsets.US_ASCII));
		channel.flush();
		assertThat(channel.readFrame()).isEqualTo(Frames.READY);
		channel.skipPayload();
		return channel;
	}

	@Override
	public void close() {
		this.process.destroyForcibly();
		this.runDirectory.close();
	}

}
