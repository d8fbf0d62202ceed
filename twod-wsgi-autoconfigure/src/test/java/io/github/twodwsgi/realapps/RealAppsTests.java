package io.github.twodwsgi.realapps;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.github.twodwsgi.WsgiApplication;
import io.micrometer.core.instrument.MeterRegistry;
import io.github.twodwsgi.testsupport.LocalHttpTests;
import io.github.twodwsgi.testsupport.Multipart;
import io.github.twodwsgi.testsupport.PatternBody;
import io.github.twodwsgi.worker.RunDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Flask app in a Spring Boot app with Spring Boot's defaults on (multipart resolution,
 * FormContentFilter, Spring Security with HTTP basic and CSRF, a filter that reads parameters), driven
 * as browsers and curl drive it: uploads, forms, slow and stalled clients, failures mid-response.
 */
@SpringBootTest(classes = RealAppsTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.config.location=classpath:real-apps-test.yml", "spring.autoconfigure.exclude=" })
class RealAppsTests extends LocalHttpTests {

	@TempDir
	static Path calls;

	@Autowired
	@Qualifier("flaskWsgiApplication")
	WsgiApplication flask;

	@Autowired
	RunDirectory runDirectory;

	@DynamicPropertySource
	static void callsFile(DynamicPropertyRegistry registry) {
		registry.add("twod.wsgi.apps.flask.env.CALLS_FILE", () -> calls.resolve("flask-calls").toString());
		registry.add("twod.wsgi.apps.streamed.env.CALLS_FILE", () -> calls.resolve("streamed-calls").toString());
	}

	/** Temporary files of buffered bodies are gone once their requests end (a moment after the client has the answer). */
	@BeforeEach
	@AfterEach
	void noBufferedBodyIsLeftBehind() throws Exception {
		awaitNoBufferedBody();
	}

	private void assertNoBufferedBody() throws IOException {
		try (Stream<Path> files = Files.list(this.runDirectory.root())) {
			assertThat(files.map((file) -> file.getFileName().toString())).noneMatch((name) -> name.startsWith("body-") || name.startsWith("response-"));
		}
	}

	@ParameterizedTest(name = "{0} files")
	@ValueSource(ints = { 1, 3, 20 })
	void flaskGetsEveryUploadedFileWhole(int count) throws Exception {
		Multipart upload = new Multipart().field("title", "holiday pictures");
		int[] sizes = { 10, 5 * 1024 * 1024, 100_000, 1, 70_000, 3_000_000, 512, 64 * 1024 };
		for (int i = 0; i < count; i++) {
			upload.file("pictures", "picture-" + i + ".bin", sizes[i % sizes.length], i);
		}
		Map<String, Object> answer = json(post("/flask/files", upload));
		assertThat(answer.get("parts")).asInstanceOf(InstanceOfAssertFactories.LIST)
			.containsExactlyElementsOf(upload.files().stream().map(RealAppsTests::asJson).toList());
		assertThat(answer.get("form")).isEqualTo(Map.of("title", List.of("holiday pictures")));
	}

	@Test
	void flaskGetsA50MebibyteMultipartUpload() throws Exception {
		Multipart upload = new Multipart().file("archive", "archive.bin", 50 * 1024 * 1024, 42);
		Map<String, Object> answer = json(post("/flask/files", upload));
		assertThat(answer.get("parts")).isEqualTo(List.of(asJson(upload.files().get(0))));
	}

	@Test
	void anAppMountedAtTheRootGetsUploadsWholeToo() throws Exception {
		Multipart upload = new Multipart().file("pictures", "one.bin", 2 * 1024 * 1024, 5).field("title", "root");
		Map<String, Object> answer = json(post("/files", upload));
		assertThat(answer.get("parts")).isEqualTo(List.of(asJson(upload.files().get(0))));
		assertThat(answer.get("form")).isEqualTo(Map.of("title", List.of("root")));
	}

	@Test
	void springsRequestMetricsTagMountedRequestsWithTheMount(@Autowired MeterRegistry registry) throws Exception {
		assertThat(get("/flask/hello").statusCode()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(5))
			.until(() -> registry.find("http.server.requests").tag("uri", "/flask/**").timer() != null);
		assertThat(registry.find("http.server.requests").tag("uri", "/flask/**").timer().count()).isPositive();
	}

	@Test
	void springControllersStillTakeUploadsThemselves() throws Exception {
		Multipart upload = new Multipart().file("file", "small.txt", 100_000, 7);
		assertThat(json(post("/spring/upload", upload))).containsEntry("size", 100_000)
			.containsEntry("sha256", upload.files().get(0).sha256());
	}

	@ParameterizedTest
	@ValueSource(strings = { "POST", "PUT", "PATCH", "DELETE" })
	void formBodiesReachFlaskByteForByte(String method) throws Exception {
		String body = "a=1&b=two+words&c=%C3%A9t%C3%A9&a=2";
		HttpResponse<String> response = send(request("/flask/form?q=query")
			.header("Content-Type", "application/x-www-form-urlencoded")
			.method(method, BodyPublishers.ofString(body))
			.build());
		Map<String, Object> answer = json(response);
		assertThat(answer).containsEntry("method", method).containsEntry("raw", body);
		assertThat(answer.get("form")).isEqualTo(Map.of("a", List.of("1", "2"), "b", List.of("two words"), "c",
				List.of("été")));
		// The filter in front read the parameters, as filters do; the app still got every byte.
		assertThat(response.headers().firstValue("X-Filter-Saw")).hasValueSatisfying((seen) -> assertThat(seen)
			.contains("q=[query]", "b=[two words]", "c=[été]"));
	}

	@Test
	void hiddenHttpMethodFilterChangesTheMethodAndTheAppStillGetsTheWholeForm() throws Exception {
		String body = "_method=PUT&a=1";
		HttpResponse<String> response = send(request("/flask/form")
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(BodyPublishers.ofString(body))
			.build());
		// The filter read _method from the body, as it does for Spring's own forms.
		assertThat(json(response)).containsEntry("method", "PUT").containsEntry("raw", body);
	}

	@Test
	void aCsrfProtectedFormPostReachesFlaskWithItsToken() throws Exception {
		HttpResponse<String> tokenResponse = get("/spring/csrf");
		Map<String, Object> token = json(tokenResponse);
		String session = tokenResponse.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
		String body = token.get("parameter") + "=" + token.get("token") + "&note=hello";
		HttpResponse<String> accepted = send(request("/flask/csrf/form").header("Cookie", session)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(BodyPublishers.ofString(body))
			.build());
		assertThat(json(accepted)).containsEntry("raw", body);
		HttpResponse<String> refused = send(request("/flask/csrf/form").header("Cookie", session)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(BodyPublishers.ofString("note=no+token"))
			.build());
		assertThat(refused.statusCode()).isEqualTo(403);
	}

	@Test
	void httpBasicGivesAuthTypeBesideRemoteUser() throws Exception {
		String credentials = Base64.getEncoder().encodeToString("ada:lovelace".getBytes(StandardCharsets.UTF_8));
		assertThat(json(send(request("/flask/private/whoami").header("Authorization", "Basic " + credentials).build())))
			.containsEntry("remote_user", "ada")
			.containsEntry("auth_type", "Basic");
		Map<String, Object> anonymous = json(get("/flask/whoami"));
		assertThat(anonymous.get("remote_user")).isNull();
		assertThat(anonymous.get("auth_type")).isNull();
		assertThat(get("/flask/private/whoami").statusCode()).isEqualTo(401);
	}

	/**
	 * gunicorn's sync workers need a buffering proxy in front (its docs say so): here the gateway is
	 * that proxy. 20 uploaders trickling 100 KB bodies at 100 B/s and 20 readers taking 10 MB responses
	 * at 50 KB/s hold no worker of the two, and 20 ordinary requests are served within 2 s meanwhile.
	 */
	@Test
	void slowUploadersAndSlowReadersHoldNoWorker() throws Exception {
		List<Long> pids = this.flask.getPool().pids();
		long uploadsBefore = calls("flask-calls", "upload");
		List<Socket> uploaders = new ArrayList<>();
		List<Socket> readers = new ArrayList<>();
		ScheduledExecutorService clients = Executors.newSingleThreadScheduledExecutor();
		try {
			for (int i = 0; i < 20; i++) {
				Socket socket = new Socket("localhost", this.port);
				socket.getOutputStream()
					.write(("POST /flask/upload HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/octet-stream\r\n"
							+ "Content-Length: 100000\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
				uploaders.add(socket);
			}
			for (int i = 0; i < 20; i++) {
				Socket socket = new Socket();
				socket.setReceiveBufferSize(16 * 1024);
				socket.connect(new InetSocketAddress("localhost", this.port));
				socket.getOutputStream()
					.write(("GET /flask/big?size=" + (10 * 1024 * 1024) + " HTTP/1.1\r\nHost: localhost\r\n\r\n")
						.getBytes(StandardCharsets.ISO_8859_1));
				readers.add(socket);
			}
			// Every 100 ms: 10 bytes from each uploader (100 B/s, well within Tomcat's read timeout, so
			// the uploads stay alive), 5,000 bytes to each reader (50 KB/s: a 10 MB response would take
			// each more than three minutes).
			byte[] sink = new byte[5000];
			clients.scheduleAtFixedRate(() -> {
				uploaders.forEach((socket) -> trickle(() -> socket.getOutputStream().write(new byte[10])));
				readers.forEach((socket) -> trickle(() -> socket.getInputStream().read(sink)));
			}, 0, 100, TimeUnit.MILLISECONDS);
			Thread.sleep(1500);
			assertOrdinaryRequestsAreServedWithin2Seconds();
			assertThat(uploaders).noneMatch(Socket::isClosed);
			assertThat(readers).noneMatch(Socket::isClosed);
			// Both workers are idle: the uploads wait in their buffers, the responses in their spools.
			assertThat(this.flask.getPool().idleCount()).isEqualTo(2 * this.flask.getPool().spec().threads());
		}
		finally {
			clients.shutdownNow();
			for (Socket socket : uploaders) {
				socket.close();
			}
			for (Socket socket : readers) {
				socket.close();
			}
		}
		assertThat(calls("flask-calls", "upload")).isEqualTo(uploadsBefore);
		assertThat(this.flask.getPool().pids()).containsExactlyInAnyOrderElementsOf(pids);
		awaitNoBufferedBody();
	}

	private static void trickle(SocketAction action) {
		try {
			action.run();
		}
		catch (IOException ex) {
			// checked by the test: every client is still connected
		}
	}

	@FunctionalInterface
	private interface SocketAction {

		void run() throws IOException;

	}

	@Test
	void withoutResponseBufferingAResponseStillStreamsWhole() throws Exception {
		HttpResponse<InputStream> response = this.client.send(request("/unbuffered/big?size=" + (20 * 1024 * 1024)).build(),
				HttpResponse.BodyHandlers.ofInputStream());
		assertThat(response.statusCode()).isEqualTo(200);
		PatternBody.assertPattern(response.body(), 20 * 1024 * 1024);
	}

	private void assertOrdinaryRequestsAreServedWithin2Seconds() throws Exception {
		List<CompletableFuture<Long>> ordinary = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			long start = System.nanoTime();
			ordinary.add(this.client
				.sendAsync(request("/flask/hello").timeout(Duration.ofSeconds(2)).build(),
						HttpResponse.BodyHandlers.ofString())
				.thenApply((response) -> {
					assertThat(response.body()).isEqualTo("hello");
					return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
				}));
		}
		for (CompletableFuture<Long> request : ordinary) {
			assertThat(request.get(5, TimeUnit.SECONDS)).isLessThan(2000);
		}
	}

	@Test
	void aStalledBodyGets408WithoutTheAppOrAWorker() throws Exception {
		List<Long> pids = this.flask.getPool().pids();
		long uploadsBefore = calls("flask-calls", "upload");
		long start = System.nanoTime();
		String answer = exchange("POST /flask/upload HTTP/1.1\r\nHost: localhost\r\n"
				+ "Content-Type: application/octet-stream\r\nContent-Length: 1000\r\n\r\n" + "x".repeat(100));
		long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
		assertThat(answer).satisfiesAnyOf((text) -> assertThat(text).startsWith("HTTP/1.1 408"),
				(text) -> assertThat(text).isEmpty());
		assertThat(seconds).isLessThan(8);
		assertThat(calls("flask-calls", "upload")).isEqualTo(uploadsBefore);
		assertThat(this.flask.getPool().pids()).containsExactlyInAnyOrderElementsOf(pids);
		awaitNoBufferedBody();
	}

	@Test
	void aChunkedBodyOverTheLimitGets413WithoutTheApp() throws Exception {
		long uploadsBefore = calls("flask-calls", "upload");
		StringBuilder request = new StringBuilder("POST /flask/upload HTTP/1.1\r\nHost: localhost\r\n"
				+ "Content-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n\r\n");
		String chunk = "y".repeat(1024 * 1024);
		String answer;
		try (Socket socket = new Socket("localhost", this.port)) {
			socket.setSoTimeout(20_000);
			OutputStream out = socket.getOutputStream();
			out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
			try {
				for (int i = 0; i < 70; i++) {
					out.write((Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n")
						.getBytes(StandardCharsets.ISO_8859_1));
				}
				out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
			}
			catch (SocketException ex) {
				// The server answered and closed before the whole body was sent: fine.
			}
			answer = readAll(socket.getInputStream());
		}
		assertThat(answer).startsWith("HTTP/1.1 413");
		assertThat(calls("flask-calls", "upload")).isEqualTo(uploadsBefore);
		awaitNoBufferedBody();
	}

	@Test
	void aChunkYieldedBeforeAFailureIsSentOnceAndTheResponseEndsIncomplete() throws Exception {
		long failuresBefore = calls("flask-calls", "fail");
		for (int i = 0; i < 200; i++) {
			String answer = exchange("GET /flask/fail-late HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
			assertThat(answer).as("try %d", i).startsWith("HTTP/1.1 200");
			String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
			assertThat(body.split("the first and only chunk", -1)).as("try %d: %s", i, body).hasSize(2);
			assertThat(body).as("try %d: the last chunk never came", i).doesNotEndWith("0\r\n\r\n");
			assertThat(answer).doesNotContain("\"status\"");
		}
		assertThat(calls("flask-calls", "fail") - failuresBefore).as("the app ran once per request").isEqualTo(200);
	}

	/** Behind Spring Security too: a body shorter than its Content-Length ends incomplete, the app ran once. */
	@Test
	void aShortBodyEndsIncompleteAndTheAppRunsOnce() throws Exception {
		long before = calls("flask-calls", "short");
		String answer = exchange("GET /flask/short HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
		assertThat(answer).startsWith("HTTP/1.1 200").endsWith("only twenty-two bytes");
		assertThat(calls("flask-calls", "short") - before).isEqualTo(1);
	}

	/** A POST that read its body and failed after its first chunk ran once, and its chunk went out once. */
	@Test
	void aPostFailingAfterItsFirstChunkRunsOnce() throws Exception {
		long before = calls("flask-calls", "fail");
		String answer = exchange("POST /flask/fail-late HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
				+ "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 3\r\n\r\na=1");
		assertThat(answer).startsWith("HTTP/1.1 200");
		assertThat(answer.split("the first and only chunk", -1)).hasSize(2);
		assertThat(calls("flask-calls", "fail") - before).isEqualTo(1);
	}

	@Test
	void withoutRequestBufferingUploadsStreamToTheApp() throws Exception {
		byte[] content = new byte[5 * 1024 * 1024];
		new Random(3).nextBytes(content);
		Map<String, Object> answer = json(send(request("/streamed/upload")
			.header("Content-Type", "application/octet-stream")
			.POST(BodyPublishers.ofByteArray(content))
			.build()));
		assertThat(answer).containsEntry("size", content.length).containsEntry("sha256", Multipart.sha256(content));
		Multipart upload = new Multipart().file("pictures", "one.bin", 300_000, 1).field("title", "streamed");
		assertThat(json(post("/streamed/files", upload)).get("parts")).isEqualTo(List.of(asJson(upload.files().get(0))));
	}

	private HttpResponse<String> post(String path, Multipart upload) throws Exception {
		return send(request(path).header("Content-Type", upload.contentType())
			.POST(BodyPublishers.ofByteArray(upload.toByteArray()))
			.build());
	}

	private static Map<String, Object> asJson(Multipart.FilePart part) {
		return Map.of("field", part.field(), "filename", part.filename(), "size", part.size(), "sha256",
				part.sha256());
	}

	private static long calls(String file, String name) throws IOException {
		Path path = calls.resolve(file);
		if (!Files.exists(path)) {
			return 0;
		}
		return Files.readAllLines(path).stream().filter(name::equals).count();
	}

	private void awaitNoBufferedBody() throws Exception {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
		while (true) {
			try {
				assertNoBufferedBody();
				return;
			}
			catch (AssertionError ex) {
				if (System.nanoTime() > deadline) {
					throw ex;
				}
				Thread.sleep(50);
			}
		}
	}

}
