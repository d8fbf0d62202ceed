package io.github.twodwsgi.worker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The supervisor with real workers: replacements and recycling together.
 */
class WorkerPoolTests {

	private final RunDirectory runDirectory = RunDirectory.create();

	private final WorkerPool pool = new WorkerPool(new WorkerSpec("pool", "gateway_apps:environ_app", "python3",
			List.of(Path.of("src/test/python").toAbsolutePath()), Map.of(), 2, Duration.ofSeconds(30),
			this.runDirectory));

	@AfterEach
	void stop() {
		this.pool.stop(Duration.ZERO);
		this.runDirectory.close();
	}

	@Test
	void aWorkerThatDiesWhileAnotherIsRecycledIsReplaced() throws Exception {
		this.pool.awaitReady();
		List<Worker> workers = this.pool.workers();
		Worker recycled = workers.get(0);
		Worker crashed = workers.get(1);
		assertThat(recycled.startRetiring(RestartReason.MAX_REQUESTS)).isTrue();
		this.pool.recycle(recycled);
		crashed.process().kill();
		await().atMost(Duration.ofSeconds(15))
			.until(() -> this.pool.size() == 2 && !this.pool.pids().contains(recycled.pid())
					&& !this.pool.pids().contains(crashed.pid()));
		Thread.sleep(500);
		assertThat(this.pool.size()).isEqualTo(2);
		assertThat(this.pool.restarts(RestartReason.MAX_REQUESTS)).isEqualTo(1);
		assertThat(this.pool.restarts(RestartReason.CRASHED)).isEqualTo(1);
	}

}
