package io.github.twodwsgi.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import io.github.twodwsgi.WsgiApplication;
import io.github.twodwsgi.testsupport.PatternBody;
import io.github.twodwsgi.testsupport.LocalHttpTests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Real HTTP against real python3 workers running the apps of {@code src/test/python/gateway_apps.py}.
 */
@SpringBootTest(classes = GatewayTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "spring.config.location=classpath:gateway-test.yml")
@ExtendWith(OutputCaptureExtension.class)
class GatewayEndToEndTests extends LocalHttpTests {

	@Value("${twod.wsgi.apps.env.threads:1}")
	int envThreads;


	@Autowired
	@Qualifier("behaviourWsgiApplication")
	WsgiApplication behaviour;

	@Autowired
	@Qualifier("busyWsgiApplication")
	WsgiApplication busy;

	@Test
	void environHasEveryPep3333Key() throws Exception {
		HttpResponse<String> response = send(request("/env/some/path?a=1&b=two%20words")
			.header("X-Custom", "custom value")
			.header("Accept-Language", "en")
			.build());
		assertThat(response.statusCode()).isEqualTo(200);
		Map<String, Object> environ = environ(response);
		assertThat(environ).containsEntry("REQUEST_METHOD", "GET")
			.containsEntry("SCRIPT_NAME", "/env")
			.containsEntry("PATH_INFO", "/some/path")
			.containsEntry("QUERY_STRING", "a=1&b=two%20words")
			.containsEntry("SERVER_NAME", "localhost")
			.containsEntry("SERVER_PORT", String.valueOf(this.port))
			.containsEntry("SERVER_PROTOCOL", "HTTP/1.1")
			.containsEntry("REMOTE_ADDR", "127.0.0.1")
			.containsEntry("HTTP_HOST", "localhost:" + this.port)
			.containsEntry("HTTP_X_CUSTOM", "custom value")
			.containsEntry("HTTP_ACCEPT_LANGUAGE", "en")
			.containsEntry("wsgi.url_scheme", "http")
			.containsEntry("wsgi.version", List.of(1, 0))
			.containsEntry("wsgi.multithread", this.envThreads > 1)
			.containsEntry("wsgi.multiprocess", true)
			.containsEntry("wsgi.run_once", false)
			.containsEntry("wsgi.input_terminated", true)
			.containsEntry("wsgi.input", "<Input>")
			.containsEntry("wsgi.errors", "<ErrorStream>")
			.containsEntry("wsgi.file_wrapper", "<type>")
			.containsEntry("input.methods", List.of("__iter__", "read", "readline", "readlines"))
			.containsKey("REMOTE_PORT")
			.doesNotContainKeys("REMOTE_USER", "AUTH_TYPE", "HTTPS", "CONTENT_TYPE", "HTTP_CONTENT_TYPE",
					"HTTP_CONTENT_LENGTH");
		assertThat(Integer.parseInt((String) environ.get("REMOTE_PORT"))).isPositive();
	}

	@Test
	void anAuthenticatedRequestCarriesRemoteUser() throws Exception {
		Map<String, Object> environ = environ(send(request("/env/").header("X-Test-User", "ada").build()));
		assertThat(environ).containsEntry("REMOTE_USER", "ada").containsEntry("AUTH_TYPE", "BASIC");
	}

	@Test
	void aUserNameBeyondLatin1TravelsAsUtf8Bytes() throws Exception {
		// The principal is named "\u5c71\u7530" (Yamada): PEP 3333 strings are latin-1, so its UTF-8 bytes travel.
		Map<String, Object> environ = environ(
				send(request("/env/").header("X-Test-User", "%E5%B1%B1%E7%94%B0").build()));
		assertThat(environ).containsEntry("REMOTE_USER",
				new String("\u5c71\u7530".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));
	}

	@Test
	void scriptNameAndPathInfoFollowTheMount() throws Exception {
		assertThat(pathOf("/env")).containsExactly("/env", "");
		assertThat(pathOf("/env/")).containsExactly("/env", "/");
		assertThat(pathOf("/env/a%20b/c")).containsExactly("/env", "/a b/c");
		assertThat(send(request("/envelope").build()).statusCode()).isEqualTo(404);
	}

	@Test
	void pathInfoCarriesNonAsciiBytesAsLatin1() throws Exception {
		String utf8AsLatin1 = new String("/café/日本".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
		assertThat(pathOf("/env/caf%C3%A9/%E6%97%A5%E6%9C%AC")).containsExactly("/env", utf8AsLatin1);
	}

	@Test
	void repeatedRequestHeadersAreJoined() throws Exception {
		Map<String, Object> environ = environ(send(request("/env/").header("X-Multi", "one")
			.header("X-Multi", "two")
			.header("Cookie", "a=1")
			.header("Cookie", "b=2")
			.build()));
		assertThat(environ).containsEntry("HTTP_X_MULTI", "one, two").containsEntry("HTTP_COOKIE", "a=1; b=2");
	}

	@Test
	void headersWithUnderscoresAreDropped() throws Exception {
		Map<String, Object> environ = environ(send(request("/env/").header("X_Spoofed", "yes").build()));
		assertThat(environ).doesNotContainKey("HTTP_X_SPOOFED");
	}

	@Test
	void requestBodyAndItsHeadersReachTheApp() throws Exception {
		Map<String, Object> environ = environ(send(request("/env/form").header("Content-Type", "text/plain")
			.POST(BodyPublishers.ofString("hello body"))
			.build()));
		assertThat(environ).containsEntry("REQUEST_METHOD", "POST")
			.containsEntry("CONTENT_TYPE", "text/plain")
			.containsEntry("CONTENT_LENGTH", "10")
			.containsEntry("body", "hello body");
	}

	@Test
	void headRequestsGetHeadersWithoutBody() throws Exception {
		HttpResponse<String> response = send(request("/env/x").method("HEAD", BodyPublishers.noBody()).build());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
		assertThat(response.body()).isEmpty();
	}

	@Test
	void statusAndRepeatedResponseHeadersArriveIntact() throws Exception {
		HttpResponse<String> response = send(request("/behaviour/headers").build());
		assertThat(response.statusCode()).isEqualTo(201);
		assertThat(response.headers().allValues("X-Repeated")).containsExactly("one", "two");
		assertThat(response.headers().allValues("Set-Cookie")).containsExactly("a=1; Path=/", "b=2; HttpOnly");
		assertThat(response.body()).isEqualTo("created");
	}

	/** A body shorter than its Content-Length ends with the connection cut, never padded; the app runs once. */
	@Test
	void aBodyShorterThanItsContentLengthEndsIncompleteAndRunsOnce(@TempDir Path temp) throws Exception {
		Path marker = temp.resolve("runs.txt");
		String answer = exchange("GET /behaviour/short?marker=" + marker
				+ " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
		assertThat(answer).startsWith("HTTP/1.1 200").contains("Content-Length: 100").endsWith("only twenty-two bytes");
		assertThat(Files.readAllLines(marker)).containsExactly("short");
	}

	@ParameterizedTest
	@ValueSource(strings = { "100", "101", "103", "199" })
	void anInterimStatusFromTheAppIs500(String status) throws Exception {
		assertThat(get("/behaviour/interim?status=" + status).statusCode()).isEqualTo(500);
	}

	@Test
	void responseHeadersOverTheContainersLimitAre500() throws Exception {
		// Tomcat's server.tomcat.max-http-response-header-size, 8KB by default.
		String answer = exchange("GET /behaviour/big-header?size=10000 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
		assertThat(answer).startsWith("HTTP/1.1 500").doesNotContain("xxxxxxxx");
		assertThat(get("/behaviour/big-header?size=4000").statusCode()).isEqualTo(200);
	}

	@Test
	void aHeaderValueWithAControlCharacterIs500() throws Exception {
		HttpResponse<String> response = get("/behaviour/control-header");
		assertThat(response.statusCode()).isEqualTo(500);
		assertThat(response.headers().firstValue("X-Value")).isEmpty();
	}

	@Test
	void nothingPastTheContentLengthIsSentAndTheAppIsStopped(@TempDir Path temp) throws Exception {
		Path marker = temp.resolve("chunks.txt");
		HttpResponse<String> response = get("/behaviour/past-length?marker=" + marker);
		assertThat(response.body()).isEqualTo("12345123");
		// Two chunks made the 8 bytes; the generator was not run on (its memory stays bounded).
		assertThat(Files.readAllLines(marker)).hasSize(2);
	}

	/** A request past its timeout mid-stream: the app ran once, the client sees it incomplete, only that worker goes. */
	@Test
	void aTimeoutMidStreamRunsTheAppOnceAndKillsOnlyThatWorker(@TempDir Path temp) throws Exception {
		await().atMost(Duration.ofSeconds(10)).until(() -> this.behaviour.getPool().size() == 2);
		Path runs = temp.resolve("runs.txt");
		List<Long> before = this.behaviour.getPool().pids();
		// 20 chunks half a second apart: past the app's 3 s request-timeout.
		String answer = exchange("GET /behaviour/stream?chunks=20&pause=0.5&runs=" + runs
				+ " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
		assertThat(answer).startsWith("HTTP/1.1 200").contains("chunk 0\n", "chunk 4\n")
			.doesNotContain("chunk 19").doesNotEndWith("0\r\n\r\n");
		assertThat(answer.split("chunk 0\n", -1)).hasSize(2);
		assertThat(Files.readAllLines(runs)).containsExactly("ran");
		await().atMost(Duration.ofSeconds(10)).until(() -> this.behaviour.getPool().size() == 2);
		assertThat(this.behaviour.getPool().pids().stream().filter(before::contains).count())
			.as("the other worker stays").isEqualTo(1);
	}

	/** A worker that dies mid-stream: the app ran once, the client sees it incomplete, only that worker goes. */
	@Test
	void aWorkerDeathMidStreamRunsTheAppOnceAndReplacesOnlyThatWorker(@TempDir Path temp) throws Exception {
		await().atMost(Duration.ofSeconds(10)).until(() -> this.behaviour.getPool().size() == 2);
		Path marker = temp.resolve("runs.txt");
		List<Long> before = this.behaviour.getPool().pids();
		String answer = exchange("GET /behaviour/die-mid-stream?marker=" + marker
				+ " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
		assertThat(answer).startsWith("HTTP/1.1 200").contains("first chunk, then the worker dies")
			.doesNotEndWith("0\r\n\r\n");
		assertThat(Files.readAllLines(marker)).containsExactly("ran");
		await().atMost(Duration.ofSeconds(10)).until(() -> this.behaviour.getPool().size() == 2);
		List<Long> after = this.behaviour.getPool().pids();
		assertThat(after.stream().filter(before::contains).count()).as("the other worker stays").isEqualTo(1);
	}

	@Test
	void emptyResponsesWork() throws Exception {
		HttpResponse<String> response = send(request("/behaviour/empty").build());
		assertThat(response.statusCode()).isEqualTo(204);
		assertThat(response.body()).isEmpty();
	}

	@Test
	void theWriteCallableSendsAtOnce() throws Exception {
		assertThat(send(request("/behaviour/write").build()).body()).isEqualTo("written, then returned");
	}

	@Test
	void hopByHopHeadersFromTheAppAreRefused() throws Exception {
		assertThat(send(request("/behaviour/hop-by-hop").build()).statusCode()).isEqualTo(500);
	}

	@Test
	void appFactoriesAreCalled() throws Exception {
		HttpResponse<String> response = send(request("/made/by/factory/").build());
		assertThat(response.body()).isEqualTo("hi there");
	}

	@Test
	void wsgirefValidatorFindsNothingToComplainAbout() throws Exception {
		HttpResponse<String> response = send(request("/validated/checked?x=1").build());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("validated /checked");
		HttpResponse<String> post = send(request("/validated/posted").POST(BodyPublishers.ofString("data")).build());
		assertThat(post.statusCode()).isEqualTo(200);
	}

	/** Mounted, and called from a controller ({@link CallTestControllers}): both routes stream alike. */
	@ParameterizedTest
	@ValueSource(strings = { "/behaviour", "/call-behaviour" })
	void chunksReachTheClientBeforeTheAppFinishes(String route) throws Exception {
		long start = System.nanoTime();
		HttpResponse<InputStream> response = this.client
			.send(request(route + "/stream?chunks=3&pause=0.8").build(), BodyHandlers.ofInputStream());
		try (InputStream body = response.body()) {
			byte[] first = new byte[8];
			assertThat(body.readNBytes(first, 0, 8)).isEqualTo(8);
			assertThat(new String(first, StandardCharsets.US_ASCII)).isEqualTo("chunk 0\n");
			// The app needs 2.4 s in all; the first chunk must not wait for the rest.
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(700));
			assertThat(new String(body.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("chunk 1\nchunk 2\n");
		}
	}

	/** Without Spring Security's firewall in front, the mount itself refuses what the container normalised. */
	@ParameterizedTest
	@ValueSource(strings = { "/env/../env/x", "/env/%2e%2e/env/x", "/env/./x", "/env/guarded/../x",
			"/env/x;jsessionid=1", "/env/y/..;/x", "/behaviour/a/%2E/pid" })
	void pathsTheContainerHadToNormaliseAreRefused(String path) throws Exception {
		String answer = exchange("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
		assertThat(answer).as(path).startsWith("HTTP/1.1 400");
	}

	@Test
	void filtersJudgeTheSamePathAsTheMount() throws Exception {
		// The container normalises this to /env/guarded/x: the guard filter answers, the app never runs.
		String answer = exchange("GET /env/x/../guarded/x HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
		assertThat(answer).startsWith("HTTP/1.1 403");
		assertThat(get("/env/guarded/x").statusCode()).isEqualTo(403);
	}

	@ParameterizedTest
	@ValueSource(strings = { "/behaviour", "/call-behaviour" })
	void closeIsCalledWhenTheClientDisconnects(String route, @TempDir Path temp) throws Exception {
		Path marker = temp.resolve("closed.txt");
		List<Long> pids = this.behaviour.getPool().pids();
		HttpResponse<InputStream> response = this.client.send(
				request(route + "/stream?chunks=1000&pause=0.05&marker=" + marker).build(),
				BodyHandlers.ofInputStream());
		InputStream body = response.body();
		assertThat(body.readNBytes(8)).hasSize(8);
		body.close();
		await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(marker));
		assertThat(Files.readString(marker)).isEqualTo("closed\n");
		// The worker was told, not killed: it is back in the pool.
		await().atMost(Duration.ofSeconds(5))
			.until(() -> this.behaviour.getPool().idleCount() == 2 * this.behaviour.getPool().spec().threads());
		assertThat(send(request("/behaviour/pid").build()).statusCode()).isEqualTo(200);
		assertThat(this.behaviour.getPool().pids()).isEqualTo(pids);
	}

	@Test
	void uploadOf50MibIsStreamedToTheApp() throws Exception {
		long size = 50L * 1024 * 1024;
		HttpResponse<String> response = send(request("/behaviour/sha256")
			.POST(BodyPublishers.fromPublisher(BodyPublishers.ofInputStream(() -> new RandomBytes(size, 1)), size))
			.build());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(json.readValue(response.body(), Map.class)).containsEntry("size", (int) size)
			.containsEntry("sha256", sha256(new RandomBytes(size, 1)));
	}

	@Test
	void uploadIsEchoedBackChunkByChunk() throws Exception {
		// The client only reads once it has sent everything: the echo must fit in the socket buffers.
		long size = 1024 * 1024;
		// No Content-Length: the body is sent chunked, as streaming clients do.
		HttpResponse<InputStream> response = this.client.send(request("/behaviour/echo")
			.POST(BodyPublishers.ofInputStream(() -> new RandomBytes(size, 2)))
			.build(), BodyHandlers.ofInputStream());
		assertThat(response.statusCode()).isEqualTo(200);
		MessageDigest digest = MessageDigest.getInstance("SHA-256");
		long received = 0;
		try (InputStream body = response.body()) {
			byte[] buffer = new byte[65536];
			int count;
			while ((count = body.read(buffer)) > 0) {
				digest.update(buffer, 0, count);
				received += count;
			}
		}
		assertThat(received).isEqualTo(size);
		assertThat(HexFormat.of().formatHex(digest.digest())).isEqualTo(sha256(new RandomBytes(size, 2)));
	}

	@Test
	void downloadOf50MibIsStreamedToTheClient() throws Exception {
		int size = 50 * 1024 * 1024;
		HttpResponse<InputStream> response = this.client.send(request("/behaviour/download?size=" + size).build(),
				BodyHandlers.ofInputStream());
		assertThat(response.headers().firstValue("Content-Length")).hasValue(String.valueOf(size));
		PatternBody.assertPattern(response.body(), size);
	}

	@Test
	void readlinesSplitsTheBody() throws Exception {
		HttpResponse<String> response = send(
				request("/behaviour/lines").POST(BodyPublishers.ofString("one\ntwo\n\nlast")).build());
		assertThat(json.readValue(response.body(), List.class)).containsExactly("one\n", "two\n", "\n", "last");
	}

	@Test
	void anAppErrorIsA500AndItsTracebackIsLogged(CapturedOutput output) throws Exception {
		HttpResponse<String> response = send(request("/behaviour/raise").build());
		assertThat(response.statusCode()).isEqualTo(500);
		assertThat(response.body()).doesNotContain("boom from the test app");
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(output.getOut()).contains("RuntimeError: boom from the test app")
				.contains("Traceback (most recent call last)"));
	}

	@Test
	void anErrorAfterTheResponseWasSentCutsTheConnection() {
		assertThatThrownBy(
				() -> this.client.send(request("/behaviour/raise-late?pause=0.3").build(), BodyHandlers.ofString()))
			.isInstanceOf(IOException.class);
	}

	/** The chunk the app yielded goes out once, then the connection is cut: no error page glued on, no replay. */
	@ParameterizedTest
	@ValueSource(strings = { "/behaviour", "/call-behaviour" })
	void anErrorRightAfterTheFirstChunkSendsItOnceAndEndsIncomplete(String route) throws Exception {
		for (int i = 0; i < 50; i++) {
			String answer = exchange("GET " + route + "/raise-late HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
			assertThat(answer).as("try %d", i).startsWith("HTTP/1.1 200");
			String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
			assertThat(body.split("first chunk, then ", -1)).as("try %d: %s", i, body).hasSize(2);
			assertThat(body).as("try %d: %s", i, body).doesNotEndWith("0\r\n\r\n").doesNotContain("status");
		}
	}

	/**
	 * A thread the app left behind uses its request's wsgi.input or write() while the worker (the only
	 * one of /busy) serves the next clients: it gets an error, and they get exactly their own bytes.
	 */
	@ParameterizedTest
	@ValueSource(strings = { "later-read", "later-write" })
	void aThreadLeftBehindNeverReachesTheNextRequest(String behaviour, @TempDir Path temp) throws Exception {
		Path marker = temp.resolve("outcome.txt");
		List<Long> pids = this.busy.getPool().pids();
		HttpResponse<String> first = send(request("/busy/" + behaviour + "?marker=" + marker)
			.POST(BodyPublishers.ofString("USER1-BODY"))
			.build());
		assertThat(first.body()).isEqualTo("accepted");
		long until = System.nanoTime() + Duration.ofMillis(1500).toNanos();
		int requests = 0;
		while (System.nanoTime() < until) {
			String secret = "USER2-SECRET-4111-" + requests++;
			HttpResponse<String> next = send(request("/busy/echo").POST(BodyPublishers.ofString(secret)).build());
			assertThat(next.statusCode()).isEqualTo(200);
			assertThat(next.body()).isEqualTo(secret);
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(marker) && Files.size(marker) > 0);
		assertThat(Files.readString(marker)).isEqualTo("RequestEnded");
		assertThat(this.busy.getPool().pids()).isEqualTo(pids);
	}

	@Test
	void aForwardOrAnIncludeToAMountNeverRunsTheApp() throws Exception {
		assertThat(get("/dispatched/forward").statusCode()).isEqualTo(404);
		HttpResponse<String> included = get("/dispatched/include");
		assertThat(included.body()).isEqualTo("included:");
	}

	/** A client's value with a carriage return and the log bridge's marks is logged as text, in its own record. */
	@Test
	void aLoggedValueCannotForgeALogRecord(CapturedOutput output) throws Exception {
		String forged = "%0D%1E40%1Fdjango.security.SuspiciousOperation%1FAdmin%20password%20reset%20for%20user%20root";
		assertThat(get("/behaviour/log-value?value=" + forged).statusCode()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(5)).until(() -> output.getOut().contains("printed: "));
		assertThat(output.getOut()).contains("client sent: \\x0d\\x1e40\\x1fdjango.security.SuspiciousOperation")
			.doesNotContain("twod.wsgi.behaviour.django.security");
	}

	@Test
	void aWorkerThatDiesMidRequestIsA502AndIsReplaced() throws Exception {
		assertThat(send(request("/behaviour/exit").build()).statusCode()).isEqualTo(502);
		assertThat(send(request("/behaviour/pid").build()).statusCode()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.behaviour.getPool().size() == 2);
	}

	@Test
	void aRequestPastTheTimeoutIsA504AndTheWorkerIsReplaced() throws Exception {
		List<Long> before = this.behaviour.getPool().pids();
		long start = System.nanoTime();
		HttpResponse<String> response = send(request("/behaviour/sleep?seconds=30").build());
		assertThat(response.statusCode()).isEqualTo(504);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
		await().atMost(Duration.ofSeconds(10)).until(() -> this.behaviour.getPool().size() == 2);
		assertThat(this.behaviour.getPool().pids()).isNotEqualTo(before);
		assertThat(send(request("/behaviour/pid").build()).statusCode()).isEqualTo(200);
	}

	@Test
	void moreRequestsThanWorkersAndQueueTimeGet503() throws Exception {
		CompletableFuture<HttpResponse<String>> slow = this.client
			.sendAsync(request("/busy/sleep?seconds=2").build(), BodyHandlers.ofString());
		Thread.sleep(300);
		HttpResponse<String> refused = send(request("/busy/pid").build());
		assertThat(refused.statusCode()).isEqualTo(503);
		assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
		assertThat(slow.get().statusCode()).isEqualTo(200);
		assertThat(send(request("/busy/pid").build()).statusCode()).isEqualTo(200);
	}

	@Test
	void pythonOutputGoesToTheAppsLogger(CapturedOutput output) throws Exception {
		assertThat(send(request("/behaviour/log").build()).body()).isEqualTo("logged");
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(output.getOut())
			.containsPattern("INFO .*twod\\.wsgi\\.behaviour +: printed to stdout by the app")
			.containsPattern("ERROR .*twod\\.wsgi\\.behaviour\\.wsgi\\.errors +: written to wsgi.errors")
			.containsPattern("WARN .*twod\\.wsgi\\.behaviour\\.gateway_apps +: logged by the app"));
	}

	private List<String> pathOf(String path) throws Exception {
		HttpResponse<String> response = send(request(path).build());
		if (response.statusCode() != 200) {
			return null;
		}
		Map<String, Object> environ = environ(response);
		return List.of((String) environ.get("SCRIPT_NAME"), (String) environ.get("PATH_INFO"));
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> environ(HttpResponse<String> response) {
		return json.readValue(response.body(), Map.class);
	}

	private static String sha256(InputStream content) throws Exception {
		MessageDigest digest = MessageDigest.getInstance("SHA-256");
		byte[] buffer = new byte[65536];
		int count;
		while ((count = content.read(buffer)) > 0) {
			digest.update(buffer, 0, count);
		}
		return HexFormat.of().formatHex(digest.digest());
	}

	/** A reproducible stream of pseudo-random bytes that never sits in memory whole. */
	static final class RandomBytes extends InputStream {

		private final Random random;

		private long remaining;

		RandomBytes(long size, long seed) {
			this.remaining = size;
			this.random = new Random(seed);
		}

		@Override
		public int read() {
			byte[] one = new byte[1];
			return (read(one, 0, 1) < 0) ? -1 : (one[0] & 0xFF);
		}

		@Override
		public int read(byte[] target, int offset, int length) {
			if (this.remaining == 0) {
				return -1;
			}
			int count = (int) Math.min(Math.min(length, this.remaining), 8192);
			byte[] chunk = new byte[count];
			this.random.nextBytes(chunk);
			System.arraycopy(chunk, 0, target, offset, count);
			this.remaining -= count;
			return count;
		}

	}

}
