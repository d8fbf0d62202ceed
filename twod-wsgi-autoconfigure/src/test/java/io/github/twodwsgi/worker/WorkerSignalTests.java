package io.github.twodwsgi.worker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.twodwsgi.gateway.Environ;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGTERM from outside (systemd stopping the whole control group, an operator's kill) ends an idle
 * worker at once and lets a busy one finish its request first.
 */
class WorkerSignalTests {

	private StandaloneWorker worker;

	private FrameChannel jvm;

	@BeforeEach
	void startWorker() throws IOException {
		this.worker = new StandaloneWorker("gateway_apps:behaviour_app");
		this.jvm = this.worker.connect();
	}

	@AfterEach
	void stopWorker() throws IOException {
		this.jvm.close();
		this.worker.close();
	}

	@Test
	void anIdleWorkerStopsAtOnce() throws Exception {
		assertThat(get("/pid")).isEqualTo(String.valueOf(this.worker.process().pid()));
		terminate();
		assertThat(this.worker.process().waitFor(5, TimeUnit.SECONDS)).isTrue();
		assertThat(this.worker.process().exitValue()).isEqualTo(WorkerExitCode.OK.code());
	}

	@Test
	void aBusyWorkerFinishesItsRequestThenStops() throws Exception {
		send("/sleep", "seconds=1");
		Thread.sleep(300);
		terminate();
		assertThat(this.jvm.readFrame()).isEqualTo(Frames.START);
		assertThat(new String(this.jvm.readPayload(), StandardCharsets.ISO_8859_1)).startsWith("200 OK");
		assertThat(this.jvm.readFrame()).isEqualTo(Frames.DATA);
		assertThat(new String(this.jvm.readPayload(), StandardCharsets.ISO_8859_1)).isEqualTo("slept");
		assertThat(this.jvm.readFrame()).isEqualTo(Frames.END);
		assertThat(this.worker.process().waitFor(5, TimeUnit.SECONDS)).isTrue();
		assertThat(this.worker.process().exitValue()).isEqualTo(WorkerExitCode.OK.code());
	}

	/** SIGTERM alone, as from systemd or kill: Process.destroy() would also close the worker's stdin. */
	private void terminate() {
		assertThat(this.worker.process().toHandle().destroy()).isTrue();
	}

	private void send(String path, String query) throws IOException {
		this.jvm.write(Frames.REQUEST, Environ.encode(
				Map.of("REQUEST_METHOD", "GET", "SCRIPT_NAME", "", "PATH_INFO", path, "QUERY_STRING", query), 0));
		this.jvm.flush();
	}

	private String get(String path) throws IOException {
		send(path, "");
		StringBuilder body = new StringBuilder();
		byte type;
		while ((type = this.jvm.readFrame()) != Frames.END) {
			byte[] payload = this.jvm.readPayload();
			if (type == Frames.DATA) {
				body.append(new String(payload, StandardCharsets.ISO_8859_1));
			}
		}
		return body.toString();
	}

}
