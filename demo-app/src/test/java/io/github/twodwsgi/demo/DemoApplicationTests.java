package io.github.twodwsgi.demo;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.web.FilterChainProxy;
import org.springframework.security.web.ObservationFilterChainDecorator;
import org.springframework.test.util.ReflectionTestUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Boots the demo as a user runs it and talks to both its Spring controller and its Flask app.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class DemoApplicationTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	@LocalServerPort
	int port;

	@Autowired
	SecurityObservationSettings securityObservations;

	@Autowired
	FilterChainProxy springSecurityFilterChain;

	@Test
	void springSecurityObservesNothingSoItsFiltersAreNotWrappedOnEveryRequest() {
		assertThat(this.securityObservations.shouldObserveRequests()).isFalse();
		assertThat(this.securityObservations.shouldObserveAuthentications()).isFalse();
		assertThat(this.securityObservations.shouldObserveAuthorizations()).isFalse();
		// What the settings are for: the chain's filters are not wrapped in observations per request.
		assertThat(ReflectionTestUtils.getField(this.springSecurityFilterChain, "filterChainDecorator"))
			.isNotInstanceOf(ObservationFilterChainDecorator.class);
	}

	@Test
	void springControllerAnswersBesideTheFlaskApp() throws Exception {
		assertThat(json(get("/hello?name=Ada"))).containsEntry("greeting", "Hello, Ada!")
			.containsEntry("from", "Spring");
	}

	@Test
	void flaskAppIsMountedAtFlask() throws Exception {
		HttpResponse<String> response = get("/flask/");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(json(response)).containsEntry("script_name", "/flask").containsEntry("path_info", "/");
	}

	@Test
	void flaskRoutesGetTheirArguments() throws Exception {
		assertThat(json(get("/flask/hello/Grace?lang=en"))).containsEntry("greeting", "Hello, Grace!")
			.containsEntry("args", Map.of("lang", "en"));
	}

	@Test
	void unknownFlaskRoutesAreFlasks404() throws Exception {
		HttpResponse<String> response = get("/flask/no/such/page");
		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(response.body()).contains("Not Found");
	}

	@Test
	void redirectsKeepTheMountPrefix() throws Exception {
		HttpResponse<String> response = get("/flask/old");
		assertThat(response.statusCode()).isEqualTo(302);
		assertThat(response.headers().firstValue("Location")).hasValue("/flask/hello/redirected");
	}

	@Test
	void bothCookiesArriveWithTheirAttributes() throws Exception {
		HttpResponse<String> response = get("/flask/cookies");
		assertThat(response.headers().allValues("Set-Cookie")).hasSize(2)
			.anySatisfy((cookie) -> assertThat(cookie).startsWith("flavour=oatmeal").contains("HttpOnly")
				.contains("SameSite=Lax"))
			.anySatisfy((cookie) -> assertThat(cookie).startsWith("session=abc123").contains("Secure")
				.contains("Max-Age=3600")
				.contains("Path=/flask"));
	}

	@Test
	void postedJsonReachesFlask() throws Exception {
		HttpResponse<String> response = this.client.send(request("/flask/echo").header("Content-Type", "application/json")
			.POST(BodyPublishers.ofString("{\"answer\": 42}"))
			.build(), BodyHandlers.ofString());
		assertThat(json(response)).containsEntry("length", 14).containsEntry("json", Map.of("answer", 42));
	}

	@Test
	void serverSentEventsArriveOneByOne() throws Exception {
		long start = System.nanoTime();
		HttpResponse<java.io.InputStream> response = this.client.send(request("/flask/stream?count=4").build(),
				BodyHandlers.ofInputStream());
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("text/event-stream"));
		try (BufferedReader events = new BufferedReader(
				new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
			assertThat(events.readLine()).isEqualTo("data: event 1");
			// The app pauses 0.5 s after each event: the first one must not wait for the others.
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1000));
			assertThat(events.lines().filter((line) -> !line.isEmpty())).containsExactly("data: event 2",
					"data: event 3", "data: event 4");
		}
	}

	@Test
	void aControllerCallsFlaskAndAddsAHeader() throws Exception {
		HttpResponse<String> response = get("/enriched/hello/Ada?lang=en");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("X-Enriched-By")).hasValue("Spring");
		assertThat(json(response)).containsEntry("greeting", "Hello, Ada!").containsEntry("args", Map.of("lang", "en"));
	}

	@Test
	void aRoutesVariablesReachFlaskAsRoutingArgs() throws Exception {
		assertThat(json(get("/teams/eng/members/ada/routing-args"))).containsEntry("positional", List.of())
			.containsEntry("named", Map.of("team", "eng", "member", "ada", "rest", "/routing-args"))
			.containsEntry("script_name", "/teams/eng/members/ada");
	}

	@Test
	void anonymousRequestsHaveNoRemoteUser() throws Exception {
		assertThat(json(get("/flask/whoami"))).containsEntry("remote_user", null);
		assertThat(json(get("/enriched/whoami"))).containsEntry("remote_user", null);
	}

	@Test
	void aLoggedInUserIsRemoteUser() throws Exception {
		assertThat(json(getAs("/flask/whoami", "demo", "demo"))).containsEntry("remote_user", "demo");
		assertThat(json(getAs("/enriched/whoami", "demo", "demo"))).containsEntry("remote_user", "demo");
		assertThat(json(getAs("/flask/private/whoami", "demo", "demo"))).containsEntry("remote_user", "demo");
	}

	@Test
	void privatePagesNeedALogin() throws Exception {
		assertThat(get("/flask/private/whoami").statusCode()).isIn(401, 302);
		assertThat(getAs("/flask/private/whoami", "demo", "wrong").statusCode()).isEqualTo(401);
	}

	@Test
	void theOnceHookCreatedTheTableTheAppCountsVisitsIn() throws Exception {
		int first = ((Number) json(get("/flask/visits")).get("visits")).intValue();
		assertThat(json(get("/flask/visits"))).containsEntry("visits", first + 1);
	}

	@Test
	void flaskReadsItsSettingFromTheYaml() throws Exception {
		assertThat(json(get("/flask/settings"))).containsEntry("greeting", "Hello from application.yml")
			.containsEntry("spring_settings", List.of("GREETING", "VISITS_DB"));
	}

	@Test
	void pythonMiddlewareFromTheYamlAddsAHeader() throws Exception {
		assertThat(get("/flask/").headers().firstValue("X-Served-By")).hasValueSatisfying(
				(value) -> assertThat(value).startsWith("demo worker "));
	}

	@Test
	void proxyFixAndTheRequestIdCustomizerShapeWhatFlaskSees() throws Exception {
		HttpResponse<String> response = this.client.send(request("/flask/").header("X-Request-Id", "abc-123")
			.header("X-Forwarded-For", "198.51.100.7")
			.header("X-Forwarded-Proto", "https")
			.build(), BodyHandlers.ofString());
		assertThat(json(response)).containsEntry("request_id", "abc-123")
			.containsEntry("remote_addr", "198.51.100.7")
			.containsEntry("scheme", "https");
	}

	@Test
	@SuppressWarnings("unchecked")
	void actuatorShowsTheAppsHealthAndWorkers() throws Exception {
		Map<String, Object> health = json(get("/actuator/health/wsgi"));
		assertThat(health).containsEntry("status", "UP");
		Map<String, Object> wsgi = json(get("/actuator/wsgi"));
		Map<String, Object> flask = (Map<String, Object>) ((Map<String, Object>) wsgi.get("apps")).get("flask");
		assertThat(flask).containsEntry("mount", "/flask")
			.containsEntry("configuredWorkers", 2)
			.containsEntry("threads", 1)
			.containsEntry("preload", true);
		assertThat(flask.get("forkServerPid")).isInstanceOf(Number.class);
		assertThat((List<?>) flask.get("workers")).hasSize(2);
	}

	@Test
	void mediaIsServedBySpringBesideTheApp() throws Exception {
		HttpResponse<String> response = get("/media/twod.svg");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("<svg");
		assertThat(response.headers().firstValue("Cache-Control")).hasValue("max-age=600");
		assertThat(response.headers().firstValue("ETag")).isPresent();
		assertThat(response.headers().firstValue("X-Served-By")).isEmpty();
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void accessLogLinesAreBareCombinedLogFormatLinesAsNginxWritesThem(CapturedOutput output) throws Exception {
		HttpResponse<String> response = this.client.send(
				request("/flask/hello/Ada?lang=en").header("User-Agent", "access-log-test/1.0").build(),
				BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		// logback-spring.xml: the line alone, not inside Spring Boot's console pattern (no level, thread
		// or logger name around it), so that log tools parse it as nginx's.
		Pattern line = Pattern.compile("(?m)^127\\.0\\.0\\.1 - - \\[\\d{2}/\\w{3}/\\d{4}:\\d{2}:\\d{2}:\\d{2} [+-]\\d{4}\\] "
				+ "\"GET /flask/hello/Ada\\?lang=en HTTP/1\\.1\" 200 " + response.body().getBytes(StandardCharsets.UTF_8).length
				+ " \"-\" \"access-log-test/1\\.0\" \\d+$");
		// The line is written once the response is out: the client may see the response first.
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(output.getOut()).containsPattern(line));
		// Only there: not also inside Boot's pattern (the logger does not pass its lines on to the root's).
		assertThat(output.getOut()).doesNotContain("twod.wsgi.access");
	}

	private HttpResponse<String> getAs(String path, String user, String password) throws Exception {
		String credentials = java.util.Base64.getEncoder()
			.encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
		return this.client.send(request(path).header("Authorization", "Basic " + credentials).build(),
				BodyHandlers.ofString());
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path)).timeout(Duration.ofSeconds(30));
	}

	private HttpResponse<String> get(String path) throws Exception {
		return this.client.send(request(path).build(), BodyHandlers.ofString());
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> json(HttpResponse<String> response) {
		return json.readValue(response.body(), Map.class);
	}

}
