package io.github.twodwsgi.workermodel;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.twodwsgi.WsgiApplication;
import io.github.twodwsgi.testsupport.LocalHttpTests;
import io.github.twodwsgi.worker.RestartReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Preload (the app imported once by a fork server, workers forked from it), threads per worker, and
 * instant replacement, seen by a client and by the processes themselves.
 */
@SpringBootTest(classes = WorkerModelTests.WorkerModelApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "spring.config.location=classpath:worker-model-test.yml")
class WorkerModelTests extends LocalHttpTests {

	static final Path DIR = temporaryDirectory();

	@Autowired
	@Qualifier("preloadedWsgiApplication")
	WsgiApplication preloaded;

	@Autowired
	@Qualifier("unpreloadedWsgiApplication")
	WsgiApplication unpreloaded;

	@Autowired
	@Qualifier("replacedWsgiApplication")
	WsgiApplication replaced;

	@Autowired
	@Qualifier("retriedWsgiApplication")
	WsgiApplication retried;

	@Autowired
	@Qualifier("killedWsgiApplication")
	WsgiApplication killed;

	@Autowired
	@Qualifier("hungWsgiApplication")
	WsgiApplication hung;

	@Autowired
	@Qualifier("recycledWsgiApplication")
	WsgiApplication recycled;

	@DynamicPropertySource
	static void paths(DynamicPropertyRegistry registry) {
		registry.add("worker-model.dir", DIR::toString);
	}

	@Test
	void withPreloadTheAppIsImportedOnceAndHooksRunInTheForkedWorkers() throws Exception {
		List<String> imports = Files.readAllLines(DIR.resolve("imports"));
		long forkServer = this.preloaded.getPool().forkServerPid();
		assertThat(imports).as("processes that imported the app").containsExactly(String.valueOf(forkServer));
		List<Long> workers = this.preloaded.getPool().pids();
		assertThat(workers).hasSize(4).doesNotContain(forkServer);
		// Each per-worker hook ran in a worker, after the fork (its parent is the fork server).
		Set<String> perWorker = new HashSet<>(Files.readAllLines(DIR.resolve("per-worker")));
		Set<String> expected = new HashSet<>();
		workers.forEach((pid) -> expected.add(pid + " " + forkServer));
		assertThat(perWorker).isEqualTo(expected);
		List<String> once = Files.readAllLines(DIR.resolve("once"));
		assertThat(once).hasSize(1).doesNotContain(String.valueOf(forkServer));
		Map<String, Object> seen = json(get("/preloaded/"));
		assertThat(seen).containsEntry("importedBy", (int) forkServer).containsEntry("ppid", (int) forkServer)
			.containsEntry("multithread", false);
	}

	@Test
	void withoutPreloadEachWorkerImportsTheApp() throws Exception {
		List<Long> workers = this.unpreloaded.getPool().pids();
		assertThat(this.unpreloaded.getPool().forkServerPid()).isEqualTo(-1);
		assertThat(Files.readAllLines(DIR.resolve("unpreloaded-imports")).stream().map(Long::valueOf))
			.containsExactlyInAnyOrderElementsOf(workers);
		Map<String, Object> seen = json(get("/unpreloaded/"));
		assertThat(seen.get("importedBy")).isEqualTo(seen.get("pid"));
	}

	@Test
	void aKilledWorkerIsReplacedByAForkThatServesWithinMilliseconds() throws Exception {
		// Under load: clients keep the only worker busy; each gets 200, or 502 when its request's
		// worker was killed under it.
		AtomicBoolean loading = new AtomicBoolean(true);
		Set<Integer> statuses = ConcurrentHashMap.newKeySet();
		ExecutorService load = Executors.newFixedThreadPool(3);
		for (int i = 0; i < 3; i++) {
			load.submit(() -> {
				while (loading.get()) {
					statuses.add(get("/replaced/?sleep=0.002").statusCode());
				}
				return null;
			});
		}
		List<Long> replacementTimes = new ArrayList<>();
		try {
			for (int kill = 0; kill < 3; kill++) {
				// The only worker, once it has served (a young worker that never served would count
				// toward a crash loop, and be replaced after a back-off).
				long victim = ((Number) json(get("/replaced/")).get("pid")).longValue();
				long start = System.nanoTime();
				ProcessHandle.of(victim).orElseThrow().destroyForcibly();
				// The first answer of a new pid is the replacement serving.
				long served = -1;
				while (served < 0 && System.nanoTime() - start < Duration.ofSeconds(5).toNanos()) {
					HttpResponse<String> response = get("/replaced/");
					if (response.statusCode() == 200 && ((Number) json(response).get("pid")).longValue() != victim) {
						served = System.nanoTime() - start;
					}
				}
				assertThat(served).as("a new worker answered").isPositive();
				replacementTimes.add(Duration.ofNanos(served).toMillis());
			}
		}
		finally {
			loading.set(false);
			load.shutdown();
		}
		assertThat(load.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
		assertThat(statuses).isSubsetOf(200, 502);
		replacementTimes.sort(null);
		// Median of three: a fork, the per-worker setup and the handshake, not an interpreter start.
		assertThat(replacementTimes.get(1)).as("ms from kill -9 to the replacement serving, " + replacementTimes)
			.isLessThan(100);
	}

	@Test
	void aKilledForkServerIsReplacedAndLeavesNoOrphan() throws Exception {
		long forkServer = this.killed.getPool().forkServerPid();
		List<Long> workers = this.killed.getPool().pids();
		ProcessHandle.of(forkServer).orElseThrow().destroyForcibly();
		// Its workers die with it (the kernel kills them), and a new fork server forks their replacements.
		await().atMost(Duration.ofSeconds(10)).until(() -> workers.stream().noneMatch(WorkerModelTests::isAlive));
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.killed.getPool().size() == 2 && this.killed.getPool().forkServerPid() != forkServer
					&& this.killed.getPool().forkServerPid() > 0);
		assertThat(isAlive(forkServer)).isFalse();
		long newServer = this.killed.getPool().forkServerPid();
		Map<String, Object> seen = json(get("/killed/"));
		assertThat(seen).containsEntry("ppid", (int) newServer);
		assertThat(ProcessHandle.of(newServer).orElseThrow().children().map(ProcessHandle::pid))
			.containsExactlyInAnyOrderElementsOf(this.killed.getPool().pids());
	}

	@Test
	void aRequestThatCouldNotBeSentToADeadWorkerGoesToAnother() throws Exception {
		long forkServer = this.retried.getPool().forkServerPid();
		long lastUsed = ((Number) json(get("/retried/")).get("pid")).longValue();
		// With the fork server stopped, nobody reaps the worker nor tells the pool: its connection stays
		// idle, first in line (most recently used), and the next request finds it dead.
		signal("STOP", forkServer);
		try {
			ProcessHandle.of(lastUsed).orElseThrow().destroyForcibly();
			await().atMost(Duration.ofSeconds(5)).until(() -> zombie(lastUsed));
			HttpResponse<String> response = get("/retried/");
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(((Number) json(response).get("pid")).longValue()).isNotEqualTo(lastUsed);
		}
		finally {
			signal("CONT", forkServer);
		}
		await().atMost(Duration.ofSeconds(5))
			.until(() -> this.retried.getPool().size() == 2 && !this.retried.getPool().pids().contains(lastUsed));
	}

	@ParameterizedTest
	@ValueSource(strings = { "GET", "POST" })
	void aRequestWhoseWorkerDiedWhileRunningItGets502AndIsNotRunAgain(String method) throws Exception {
		// As gunicorn behind nginx (one upstream): the app may have acted on the request, and a request
		// that kills its worker would kill the next one too.
		Path marker = DIR.resolve("died-" + method);
		HttpResponse<String> response = send(request("/retried/?die-once=" + marker)
			.method(method, HttpRequest.BodyPublishers.ofString("x")).build());
		assertThat(response.statusCode()).isEqualTo(502);
		assertThat(Files.readAllLines(marker)).as("runs of the request").hasSize(1);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.retried.getPool().size() == 2);
	}

	@Test
	void threadsServeRequestsOfOneWorkerAtTheSameTime() throws Exception {
		ExecutorService clients = Executors.newFixedThreadPool(16);
		try {
			// Warm connections and workers first: the timing is about the workers, not the client.
			List<Future<HttpResponse<String>>> warm = new ArrayList<>();
			for (int i = 0; i < 16; i++) {
				warm.add(clients.submit(() -> get("/threaded/")));
			}
			for (Future<HttpResponse<String>> response : warm) {
				assertThat(response.get().statusCode()).isEqualTo(200);
			}
			long start = System.nanoTime();
			List<Future<HttpResponse<String>>> sleeping = new ArrayList<>();
			for (int i = 0; i < 16; i++) {
				sleeping.add(clients.submit(() -> get("/threaded/?sleep=0.2")));
			}
			Set<String> threads = new HashSet<>();
			Set<Object> pids = new HashSet<>();
			for (Future<HttpResponse<String>> response : sleeping) {
				Map<String, Object> seen = json(response.get());
				assertThat(seen).containsEntry("multithread", true);
				threads.add(seen.get("pid") + "/" + seen.get("thread"));
				pids.add(seen.get("pid"));
			}
			Duration took = Duration.ofNanos(System.nanoTime() - start);
			assertThat(pids).hasSize(2);
			assertThat(threads).as("worker threads that served").hasSize(16);
			// 16 requests of 200 ms on 2 workers x 8 threads: one round, not two.
			assertThat(took).isLessThan(Duration.ofMillis(380));
		}
		finally {
			clients.shutdownNow();
		}
	}

	@Test
	void aHungThreadGets504WhileTheOtherRequestsOfItsWorkerFinish() throws Exception {
		long worker = this.hung.getPool().pids().get(0);
		long timeouts = this.hung.getPool().restarts(RestartReason.TIMEOUT);
		CompletableFuture<HttpResponse<String>> hanging = this.client
			.sendAsync(request("/hung/?sleep=30").build(), HttpResponse.BodyHandlers.ofString());
		Thread.sleep(500);
		// Started before the deadline of the hung request, finished after it.
		List<CompletableFuture<HttpResponse<String>>> others = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			others.add(this.client.sendAsync(request("/hung/?sleep=0.9").build(), HttpResponse.BodyHandlers.ofString()));
		}
		assertThat(hanging.get().statusCode()).isEqualTo(504);
		assertThat(isAlive(worker)).as("the worker lives on while its other requests run").isTrue();
		for (CompletableFuture<HttpResponse<String>> other : others) {
			HttpResponse<String> response = other.get();
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(json(response)).containsEntry("pid", (int) worker);
		}
		// Then it is killed (its hung thread cannot be stopped otherwise) and a successor serves.
		await().atMost(Duration.ofSeconds(5)).until(() -> !isAlive(worker));
		Map<String, Object> next = json(get("/hung/"));
		assertThat(((Number) next.get("pid")).longValue()).isNotEqualTo(worker);
		assertThat(this.hung.getPool().restarts(RestartReason.TIMEOUT)).isEqualTo(timeouts + 1);
	}

	@Test
	void maxRequestsIsNeverOvershot() throws Exception {
		Map<Long, AtomicInteger> served = new ConcurrentHashMap<>();
		AtomicInteger failed = new AtomicInteger();
		ExecutorService load = Executors.newFixedThreadPool(8);
		List<Future<?>> clients = new ArrayList<>();
		for (int t = 0; t < 8; t++) {
			clients.add(load.submit(() -> {
				for (int i = 0; i < 125; i++) {
					HttpResponse<String> response = get("/recycled/");
					if (response.statusCode() != 200) {
						failed.incrementAndGet();
						continue;
					}
					long pid = ((Number) json(response).get("pid")).longValue();
					served.computeIfAbsent(pid, (key) -> new AtomicInteger()).incrementAndGet();
				}
				return null;
			}));
		}
		for (Future<?> client : clients) {
			client.get();
		}
		load.shutdown();
		assertThat(failed.get()).isZero();
		assertThat(served.values().stream().mapToInt(AtomicInteger::get).sum()).isEqualTo(1000);
		// max-requests 50 + jitter 10, plus what was in flight: 1 thread per worker.
		assertThat(served.values().stream().mapToInt(AtomicInteger::get).max().orElseThrow())
			.as("most requests served by one worker: " + served).isLessThanOrEqualTo(61);
		assertThat(served.size()).isGreaterThanOrEqualTo(1000 / 61);
	}

	private static void signal(String signal, long pid) throws Exception {
		assertThat(new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).start().waitFor()).isZero();
	}

	/** Dead, not yet reaped by its parent. */
	private static boolean zombie(long pid) throws IOException {
		String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
		return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
	}

	private static boolean isAlive(long pid) {
		return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
	}

	private static Path temporaryDirectory() {
		try {
			Path dir = Files.createTempDirectory("twod-wsgi-worker-model");
			dir.toFile().deleteOnExit();
			return dir;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class WorkerModelApplication {

	}

}
