package io.github.twodwsgi.startup;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.twodwsgi.WsgiApplication;
import io.github.twodwsgi.WsgiResponse;
import io.github.twodwsgi.WsgiStartupHook;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Python per-worker and once hooks and Java hooks, with real workers, in their order among the user's
 * own runners, before the application accepts traffic.
 */
@SpringBootTest(classes = StartupHooksTests.HooksApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "spring.config.name=hooks-test")
class StartupHooksTests {

	static final Path MARKER = temporaryFile();

	static final List<String> EVENTS = new CopyOnWriteArrayList<>();

	private static final JsonMapper json = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	@Autowired
	WsgiApplication hooked;

	@Autowired
	ApplicationAvailability availability;

	@DynamicPropertySource
	static void marker(DynamicPropertyRegistry registry) {
		registry.add("hooks.marker", MARKER::toString);
	}

	@Test
	void perWorkerHooksRanInEveryWorker() throws Exception {
		Map<Object, Object> workers = concurrentStates(3);
		assertThat(workers.keySet()).hasSize(3).containsExactlyInAnyOrderElementsOf(pids());
		assertThat(workers.values()).allSatisfy((hooks) -> assertThat(hooks).isEqualTo(List.of("first", "second")));
	}

	@Test
	void perWorkerHooksRunAgainInAReplacedWorker() throws Exception {
		List<Long> before = this.hooked.getPool().pids();
		assertThat(get("/hooked/exit").statusCode()).isEqualTo(502);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.hooked.getPool().size() == 3);
		Set<Long> replaced = new HashSet<>(this.hooked.getPool().pids());
		replaced.removeAll(before);
		assertThat(replaced).hasSize(1);
		Map<Object, Object> workers = concurrentStates(3);
		assertThat(workers.get(replaced.iterator().next())).isEqualTo(List.of("first", "second"));
	}

	@Test
	void theOnceHookRanExactlyOnceInAProcessOfItsOwn() throws Exception {
		List<String> lines = Files.readAllLines(MARKER);
		assertThat(lines).hasSize(1);
		assertThat(Long.parseLong(lines.get(0))).isNotIn(pids());
	}

	@Test
	void hooksRunInOrderAmongTheUsersRunnersBeforeTrafficIsAccepted() {
		assertThat(EVENTS).containsExactly("user runner ordered -10", "java hook 1 saw the once hook: true",
				"java hook 1 readiness: REFUSING_TRAFFIC", "java hook 1 called the app: 200", "java hook 2",
				"user runner unordered");
		assertThat(this.availability.getReadinessState()).isEqualTo(ReadinessState.ACCEPTING_TRAFFIC);
	}

	private Map<Object, Object> concurrentStates(int count) throws Exception {
		List<CompletableFuture<HttpResponse<String>>> responses = new java.util.ArrayList<>();
		for (int i = 0; i < count; i++) {
			responses.add(HttpClient.newHttpClient().sendAsync(request("/hooked/slow"), BodyHandlers.ofString()));
		}
		Map<Object, Object> workers = new java.util.HashMap<>();
		for (CompletableFuture<HttpResponse<String>> response : responses) {
			Map<?, ?> state = json.readValue(response.get().body(), Map.class);
			workers.put(((Number) state.get("pid")).longValue(), state.get("hooks"));
		}
		return workers;
	}

	private List<Long> pids() {
		return this.hooked.getPool().pids();
	}

	private HttpResponse<String> get(String path) throws Exception {
		return HttpClient.newHttpClient().send(request(path), BodyHandlers.ofString());
	}

	private HttpRequest request(String path) {
		return HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.timeout(Duration.ofSeconds(30))
			.build();
	}

	private static Path temporaryFile() {
		try {
			Path file = Files.createTempFile("twod-wsgi-once-hook-", ".txt");
			file.toFile().deleteOnExit();
			return file;
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class HooksApplication {

		@Bean
		@Order(-10)
		ApplicationRunner earlyRunner() {
			return (args) -> EVENTS.add("user runner ordered -10");
		}

		@Bean
		ApplicationRunner lateRunner() {
			return (args) -> EVENTS.add("user runner unordered");
		}

		@Bean
		@Order(1)
		WsgiStartupHook firstHook(ApplicationAvailability availability) {
			return (gateway) -> {
				EVENTS.add("java hook 1 saw the once hook: " + (Files.size(MARKER) > 0));
				EVENTS.add("java hook 1 readiness: " + availability.getReadinessState());
				try (WsgiResponse response = gateway.get("hooked", "/")) {
					EVENTS.add("java hook 1 called the app: " + response.status());
				}
			};
		}

		@Bean
		@Order(2)
		WsgiStartupHook secondHook() {
			return (gateway) -> EVENTS.add("java hook 2");
		}

	}

}
