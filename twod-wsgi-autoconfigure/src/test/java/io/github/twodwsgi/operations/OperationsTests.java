package io.github.twodwsgi.operations;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.twodwsgi.WsgiApplication;
import io.github.twodwsgi.worker.RestartReason;
import io.github.twodwsgi.worker.Worker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Production faults with real workers, bounded in time and count: workers killed under load,
 * recycling under load, a crash loop, limits, a malformed-request corpus, reload, and what health,
 * the endpoint and the metrics show.
 */
@SpringBootTest(classes = OperationsTests.OperationsApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "spring.config.name=operations-test")
@ExtendWith(OutputCaptureExtension.class)
class OperationsTests {

	static final Path FLAG = temporaryDirectory().resolve("fail-workers.flag");

	static final Path RELOAD_DIR = temporaryDirectory();

	private static final JsonMapper json = JsonMapper.builder().build();

	private final HttpClient client = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	@LocalServerPort
	int port;

	@Autowired
	@Qualifier("sturdyWsgiApplication")
	WsgiApplication sturdy;

	@Autowired
	@Qualifier("recycledWsgiApplication")
	WsgiApplication recycled;

	@Autowired
	@Qualifier("fragileWsgiApplication")
	WsgiApplication fragile;

	@Autowired
	@Qualifier("limitedWsgiApplication")
	WsgiApplication limited;

	@DynamicPropertySource
	static void paths(DynamicPropertyRegistry registry) throws IOException {
		Files.writeString(RELOAD_DIR.resolve("reload_app.py"), reloadApp("version 1"));
		registry.add("ops.flag", FLAG::toString);
		registry.add("ops.reload-dir", RELOAD_DIR::toString);
	}

	@Test
	void workersKilledUnderLoadGiveCorrectBodiesOr502AndThePoolRefills() throws Exception {
		int threads = 16;
		int perThread = 130;
		int size = 1000;
		AtomicInteger correct = new AtomicInteger();
		AtomicInteger badGateway = new AtomicInteger();
		ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
		ExecutorService load = Executors.newFixedThreadPool(threads);
		List<Future<?>> clients = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			clients.add(load.submit(() -> {
				for (int i = 0; i < perThread; i++) {
					try {
						HttpResponse<byte[]> response = this.client.send(
								request("/sturdy/download?size=" + size).timeout(Duration.ofSeconds(10)).build(),
								BodyHandlers.ofByteArray());
						if (response.statusCode() == 502) {
							badGateway.incrementAndGet();
						}
						else if (response.statusCode() == 200 && isPattern(response.body(), size)) {
							correct.incrementAndGet();
						}
						else {
							wrong.add(response.statusCode() + " with " + response.body().length + " bytes");
						}
					}
					catch (IOException | InterruptedException ex) {
						wrong.add(ex.toString());
					}
				}
			}));
		}
		Random random = new Random(7);
		long lastKill = 0;
		long lastKilled = -1;
		for (int kill = 0; kill < 12; kill++) {
			Thread.sleep(150);
			// Workers that have served: a worker killed before it served counts toward a crash loop (its
			// replacement comes after a back-off), and with preload replacements are quick enough to be
			// killed before they serve.
			List<Long> pids = this.sturdy.getPool()
				.workers()
				.stream()
				.filter((worker) -> worker.served() > 0)
				.map(Worker::pid)
				.toList();
			if (!pids.isEmpty()) {
				lastKilled = pids.get(random.nextInt(pids.size()));
				ProcessHandle.of(lastKilled).ifPresent(ProcessHandle::destroyForcibly);
				lastKill = System.nanoTime();
			}
		}
		long refilled = awaitFull(this.sturdy, 3, lastKilled, Duration.ofSeconds(5));
		for (Future<?> client : clients) {
			client.get(120, TimeUnit.SECONDS);
		}
		load.shutdown();
		assertThat(wrong).as("responses that were neither the right body nor 502").isEmpty();
		assertThat(correct.get() + badGateway.get()).isEqualTo(threads * perThread);
		assertThat(this.sturdy.getPool().restarts(RestartReason.CRASHED)).isGreaterThanOrEqualTo(1);
		// A replacement is a fork (preload), after a back-off of up to 0.4 s when young workers were killed.
		assertThat(Duration.ofNanos(refilled - lastKill)).as("time from the last kill to a full pool")
			.isLessThan(Duration.ofSeconds(2));
	}

	@Test
	void recyclingUnderLoadFailsNoRequest() throws Exception {
		List<Long> before = this.recycled.getPool().pids();
		ExecutorService load = Executors.newFixedThreadPool(8);
		List<Future<Integer>> clients = new ArrayList<>();
		for (int t = 0; t < 8; t++) {
			clients.add(load.submit(() -> {
				int failed = 0;
				for (int i = 0; i < 75; i++) {
					HttpResponse<String> response = this.client.send(request("/recycled/pid").build(),
							BodyHandlers.ofString());
					failed += (response.statusCode() == 200) ? 0 : 1;
				}
				return failed;
			}));
		}
		int failed = 0;
		for (Future<Integer> client : clients) {
			failed += client.get(120, TimeUnit.SECONDS);
		}
		load.shutdown();
		assertThat(failed).isZero();
		// A worker past its limit serves on until its successor is ready, so fewer recycles than 600 / 55.
		assertThat(this.recycled.getPool().restarts(RestartReason.MAX_REQUESTS)).isGreaterThanOrEqualTo(2);
		// The load may end before the successors have booted: the old workers leave once they have.
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.recycled.getPool().size() == 2
					&& this.recycled.getPool().pids().stream().noneMatch(before::contains));
	}

	@Test
	void aWorkerThatDiesWhileOthersAreRecycledIsStillReplaced() throws Exception {
		await().atMost(Duration.ofSeconds(10)).until(() -> this.recycled.getPool().size() == 2);
		List<Long> before = this.recycled.getPool().pids();
		this.recycled.getPool().recycleAll(RestartReason.RELOAD);
		ProcessHandle.of(before.get(0)).ifPresent(ProcessHandle::destroyForcibly);
		await().atMost(Duration.ofSeconds(15))
			.until(() -> this.recycled.getPool().size() == 2
					&& this.recycled.getPool().pids().stream().noneMatch(before::contains));
		Thread.sleep(1000);
		assertThat(this.recycled.getPool().size()).isEqualTo(2);
		assertThat(get("/recycled/pid").statusCode()).isEqualTo(200);
	}

	@Test
	void aCrashLoopIsDownAndAnswers503UntilTheFaultIsGone() throws Exception {
		assertThat(health("fragile")).isEqualTo("UP");
		Files.writeString(FLAG, "no");
		try {
			this.fragile.getPool().pids().forEach((pid) -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
			await().atMost(Duration.ofSeconds(15)).until(() -> crashLooping("fragile"));
			assertThat(health("fragile")).isEqualTo("DOWN");
			long start = System.nanoTime();
			HttpResponse<String> refused = get("/fragile/");
			assertThat(refused.statusCode()).isEqualTo(503);
			assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
		}
		finally {
			Files.deleteIfExists(FLAG);
		}
		await().atMost(Duration.ofSeconds(20)).until(() -> health("fragile").equals("UP"));
		assertThat(get("/fragile/").statusCode()).isEqualTo(200);
	}

	@Test
	void bodiesOverTheLimitGet413WithoutBeingRead() throws Exception {
		HttpResponse<String> declared = this.client.send(
				request("/limited/sha256").POST(BodyPublishers.ofString("x".repeat(4096))).build(),
				BodyHandlers.ofString());
		assertThat(declared.statusCode()).isEqualTo(413);
		HttpResponse<String> chunked = this.client.send(request("/limited/sha256")
			.POST(BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(new byte[8192])))
			.build(), BodyHandlers.ofString());
		assertThat(chunked.statusCode()).isEqualTo(413);
		HttpResponse<String> small = this.client.send(
				request("/limited/sha256").POST(BodyPublishers.ofString("small")).build(), BodyHandlers.ofString());
		assertThat(small.statusCode()).isEqualTo(200);
	}

	@Test
	void headersOverTheLimitGet431() throws Exception {
		HttpResponse<String> response = this.client
			.send(request("/limited/pid").header("X-Big", "y".repeat(3000)).build(), BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(431);
	}

	@Test
	void manyMoreClientsThanWorkersWaitTheirTurnRatherThanGet503() throws Exception {
		// 250 at once on 3 workers, as a load test's clients or a burst would come: with the default
		// queue-size they wait (as in the listen backlog that gunicorn's workers accept from), each for
		// a few ms of work; the default of 100 used to refuse more than half of them.
		List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
		for (int i = 0; i < 250; i++) {
			responses.add(this.client.sendAsync(request("/sturdy/sleep?seconds=0.005").build(), BodyHandlers.ofString()));
		}
		Map<String, Long> outcomes = new java.util.TreeMap<>();
		for (CompletableFuture<HttpResponse<String>> response : responses) {
			String outcome;
			try {
				outcome = String.valueOf(response.get(60, TimeUnit.SECONDS).statusCode());
			}
			catch (java.util.concurrent.ExecutionException ex) {
				outcome = ex.getCause().toString();
			}
			outcomes.merge(outcome, 1L, Long::sum);
		}
		assertThat(outcomes).isEqualTo(Map.of("200", 250L));
	}

	@Test
	void aFullQueueGets503AtOnce(CapturedOutput output) throws Exception {
		// Busy long enough for the 21 refusals below even on a slow machine.
		CompletableFuture<HttpResponse<String>> busy = this.client
			.sendAsync(request("/limited/sleep?seconds=4").build(), BodyHandlers.ofString());
		Thread.sleep(200);
		CompletableFuture<HttpResponse<String>> queued = this.client.sendAsync(request("/limited/pid").build(),
				BodyHandlers.ofString());
		// The waiting request shows, in the gauge and the endpoint, before any is refused.
		await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> assertThat(waitingGauge("limited")).isEqualTo(1.0));
		assertThat(appOfEndpoint("limited")).containsEntry("waiting", 1);
		long start = System.nanoTime();
		HttpResponse<String> refused = get("/limited/pid");
		assertThat(refused.statusCode()).isEqualTo(503);
		assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(800));
		// Under overload every refusal would log a line: one a second says it, with the count of the rest.
		for (int i = 0; i < 20; i++) {
			assertThat(get("/limited/pid").statusCode()).isEqualTo(503);
		}
		long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
		assertThat(output.getOut().lines().filter((line) -> line.contains("requests already wait for a worker")))
			.hasSizeBetween(1, 1 + (int) seconds);
		assertThat(busy.get().statusCode()).isEqualTo(200);
		assertThat(queued.get().statusCode()).isEqualTo(200);
		assertThat(waitingGauge("limited")).isZero();
	}

	@SuppressWarnings("unchecked")
	private double waitingGauge(String app) throws Exception {
		Map<String, Object> gauge = json(get("/actuator/metrics/wsgi.queue.waiting?tag=app:" + app));
		return ((Number) ((List<Map<String, Object>>) gauge.get("measurements")).get(0).get("value")).doubleValue();
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> appOfEndpoint(String app) throws Exception {
		return (Map<String, Object>) ((Map<String, Object>) json(get("/actuator/wsgi")).get("apps")).get(app);
	}

	@Test
	void malformedAndOversizedRequestsGet4xxOrAClosedConnectionAndNoWorkerIsLost() throws Exception {
		List<Long> sturdyPids = this.sturdy.getPool().pids();
		List<Long> limitedPids = this.limited.getPool().pids();
		List<String> corpus = MalformedRequests.corpus();
		assertThat(corpus).hasSizeGreaterThanOrEqualTo(50);
		List<String> failures = new ArrayList<>();
		for (String raw : corpus) {
			String outcome = MalformedRequests.send(this.port, raw);
			// 501 (a method or encoding Tomcat does not implement) and 505 (an HTTP version it does not
			// speak) are the right answers to some; a 500 or a gateway error never is.
			if (!outcome.equals("closed") && !outcome.matches("[1-4][0-9][0-9]|501|505")) {
				failures.add(outcome + " for " + raw.replace("\r\n", "\\r\\n").substring(0, Math.min(raw.length(), 80)));
			}
		}
		assertThat(failures).isEmpty();
		// The slow sender also finished its request.
		assertThat(MalformedRequests.sendSlowly(this.port, "GET /sturdy/pid HTTP/1.1\r\nHost: localhost\r\n"
				+ "Connection: close\r\n\r\n")).isEqualTo("200");
		assertThat(this.sturdy.getPool().pids()).isEqualTo(sturdyPids);
		assertThat(this.limited.getPool().pids()).isEqualTo(limitedPids);
	}

	@Test
	void reloadReplacesTheWorkersWhenAPythonFileChanges() throws Exception {
		assertThat(get("/reloaded/").body()).isEqualTo("version 1");
		Thread.sleep(50);
		Files.writeString(RELOAD_DIR.resolve("reload_app.py"), reloadApp("version 2"));
		await().atMost(Duration.ofSeconds(15)).until(() -> get("/reloaded/").body().equals("version 2"));
	}

	@Test
	@SuppressWarnings("unchecked")
	void theEndpointListsAppsWorkersAndMaskedSettings() throws Exception {
		Map<String, Object> endpoint = json(get("/actuator/wsgi"));
		Map<String, Object> sturdyApp = (Map<String, Object>) ((Map<String, Object>) endpoint.get("apps")).get("sturdy");
		assertThat(sturdyApp).containsEntry("mount", "/sturdy")
			.containsEntry("app", "gateway_apps:behaviour_app")
			.containsEntry("interpreter", "python3")
			.containsKeys("pythonVersion", "restarts", "settings");
		assertThat((List<Map<String, Object>>) sturdyApp.get("workers")).allSatisfy(
				(worker) -> assertThat(worker).containsKeys("pid", "uptime", "requests", "state"));
		Map<String, Object> health = json(get("/actuator/health/wsgi"));
		assertThat(((Map<String, Object>) health.get("components")).keySet()).contains("sturdy", "recycled", "limited");
	}

	@Test
	void metricsCountRequestsWorkersAndRestarts(CapturedOutput output) throws Exception {
		get("/sturdy/pid");
		String body = this.client.send(request("/sturdy/pid?x=1").header("User-Agent", "probe \"quoted\"")
			.header("Referer", "http://example.org/")
			.build(), BodyHandlers.ofString()).body();
		assertThat(json(get("/actuator/metrics/wsgi.requests?tag=app:sturdy&tag=status:200")))
			.containsEntry("name", "wsgi.requests");
		assertThat(json(get("/actuator/metrics/wsgi.queue.wait?tag=app:sturdy"))).containsEntry("name",
				"wsgi.queue.wait");
		assertThat(json(get("/actuator/metrics/wsgi.workers?tag=app:sturdy&tag=state:idle"))).containsEntry("name",
				"wsgi.workers");
		assertThat(json(get("/actuator/metrics/wsgi.worker.restarts?tag=app:sturdy&tag=reason:crashed")))
			.containsEntry("name", "wsgi.worker.restarts");
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(output.getOut())
			.containsPattern("twod\\.wsgi\\.access .* \"GET /sturdy/pid HTTP/1.1\" 200 ")
			.containsPattern("twod\\.wsgi\\.access .*: \\S+ - - \\[\\d\\d/\\w{3}/\\d{4}:\\d\\d:\\d\\d:\\d\\d [+-]\\d{4}\\] "
					+ "\"GET /sturdy/pid\\?x=1 HTTP/1.1\" 200 " + body.length() + " \"http://example.org/\" \"probe \\\\x22quoted\\\\x22\" \\d+\\R"));
	}

	@Test
	void accessLogCountsTheBodyBytesOfTheAppsResponses(CapturedOutput output) throws Exception {
		// Larger than the response buffer: through the response spool, a body far larger than its
		// memory (3 MB) and one that fits in it (20 kB).
		HttpResponse<byte[]> big = this.client.send(request("/sturdy/download?size=3000000&log=bytes").build(),
				BodyHandlers.ofByteArray());
		assertThat(big.body()).hasSize(3_000_000);
		HttpResponse<byte[]> small = this.client.send(request("/sturdy/download?size=20000&log=bytes").build(),
				BodyHandlers.ofByteArray());
		assertThat(small.body()).hasSize(20_000);
		// No Content-Length, in chunks.
		HttpResponse<String> streamed = this.client.send(request("/sturdy/stream?chunks=3&pause=0&log=bytes").build(),
				BodyHandlers.ofString());
		assertThat(streamed.headers().firstValue("Content-Length")).isEmpty();
		HttpResponse<String> head = this.client.send(
				request("/sturdy/download?size=5000&log=bytes").method("HEAD", BodyPublishers.noBody()).build(),
				BodyHandlers.ofString());
		assertThat(head.headers().firstValue("Content-Length")).hasValue("5000");
		// Refused by the gateway: the container's error page, whose size the gateway does not know.
		HttpResponse<String> refused = this.client.send(
				request("/limited/echo?log=bytes").POST(BodyPublishers.ofString("x".repeat(2048))).build(),
				BodyHandlers.ofString());
		assertThat(refused.statusCode()).isEqualTo(413);
		// Cut short (fewer bytes than the Content-Length, written directly and through the spool; a
		// failure after the first chunk): the bytes written before the connection was cut.
		assertThatThrownBy(() -> this.client.send(request("/sturdy/short?log=bytes").build(), BodyHandlers.ofString()))
			.isInstanceOf(IOException.class);
		assertThatThrownBy(
				() -> this.client.send(request("/sturdy/raise-late?log=bytes").build(), BodyHandlers.ofString()))
			.isInstanceOf(IOException.class);
		assertThatThrownBy(() -> this.client
			.send(request("/sturdy/short-download?size=300000&log=bytes").build(), BodyHandlers.ofByteArray()))
			.isInstanceOf(IOException.class);
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(output.getOut())
			.containsPattern("\"GET /sturdy/download\\?size=3000000&log=bytes HTTP/1.1\" 200 3000000 ")
			.containsPattern("\"GET /sturdy/download\\?size=20000&log=bytes HTTP/1.1\" 200 20000 ")
			.containsPattern("\"GET /sturdy/stream\\?chunks=3&pause=0&log=bytes HTTP/1.1\" 200 "
					+ streamed.body().getBytes(StandardCharsets.UTF_8).length + " ")
			.containsPattern("\"HEAD /sturdy/download\\?size=5000&log=bytes HTTP/1.1\" 200 0 ")
			.containsPattern("\"POST /limited/echo\\?log=bytes HTTP/1.1\" 413 - ")
			.containsPattern("\"GET /sturdy/short\\?log=bytes HTTP/1.1\" 200 " + "only twenty-two bytes".length() + " ")
			.containsPattern("\"GET /sturdy/raise-late\\?log=bytes HTTP/1.1\" 200 " + "first chunk, then ".length() + " ")
			.containsPattern("\"GET /sturdy/short-download\\?size=300000&log=bytes HTTP/1.1\" 200 300000 "));
	}

	/** Waits until the pool is full again without the last worker killed (which it may not know dead yet). */
	private long awaitFull(WsgiApplication application, int workers, long lastKilled, Duration timeout)
			throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			List<Long> pids = application.getPool().pids();
			if (pids.size() == workers && !pids.contains(lastKilled)) {
				return System.nanoTime();
			}
			Thread.sleep(5);
		}
		return Long.MAX_VALUE;
	}

	private static boolean isPattern(byte[] body, int size) {
		if (body.length != size) {
			return false;
		}
		for (int i = 0; i < size; i++) {
			if ((body[i] & 0xFF) != i % 256) {
				return false;
			}
		}
		return true;
	}

	@SuppressWarnings("unchecked")
	private boolean crashLooping(String app) throws Exception {
		Map<String, Object> health = json(get("/actuator/health/wsgi/" + app), true);
		Object details = health.get("details");
		return details instanceof Map && Boolean.TRUE.equals(((Map<String, Object>) details).get("crashLoop"));
	}

	@SuppressWarnings("unchecked")
	private String health(String app) throws Exception {
		Map<String, Object> health = json(get("/actuator/health/wsgi/" + app), true);
		return (String) health.get("status");
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.timeout(Duration.ofSeconds(30));
	}

	private HttpResponse<String> get(String path) throws Exception {
		return this.client.send(request(path).build(), BodyHandlers.ofString());
	}

	private static Map<String, Object> json(HttpResponse<String> response) {
		return json(response, false);
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> json(HttpResponse<String> response, boolean anyStatus) {
		if (!anyStatus) {
			assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		}
		return json.readValue(response.body(), Map.class);
	}

	private static String reloadApp(String version) {
		return """
				def app(environ, start_response):
				    start_response("200 OK", [("Content-Type", "text/plain")])
				    return [b"%s"]
				""".formatted(version);
	}

	private static Path temporaryDirectory() {
		try {
			Path directory = Files.createTempDirectory("twod-wsgi-ops-");
			directory.toFile().deleteOnExit();
			return directory;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class OperationsApplication {

	}

}
