package io.github.twodwsgi.gateway;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.Map;

import io.github.twodwsgi.testsupport.LocalHttpTests;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Servlet filters, Python WSGI middleware (beans and properties), environ customizers and static
 * files around the apps of {@link GatewayTestApplication}, over real HTTP with real workers.
 */
@SpringBootTest(classes = GatewayTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "spring.config.location=classpath:gateway-test.yml")
class GatewayMiddlewareTests extends LocalHttpTests {

	@Test
	void servletFiltersRunInFrontOfMountedApps() throws Exception {
		HttpResponse<String> response = get("/env/x");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("X-Filtered")).hasValue("yes");
	}

	@Test
	void aFilterCanStopARequestBeforeItReachesPython() throws Exception {
		HttpResponse<String> response = get("/env/forbidden/page");
		assertThat(response.statusCode()).isEqualTo(403);
		assertThat(response.body()).doesNotContain("SCRIPT_NAME");
	}

	@Test
	void proxyFixMiddlewareChangesWhatTheAppSees() throws Exception {
		Map<String, Object> environ = json(this.client.send(request("/env/x").header("X-Forwarded-For", "203.0.113.9")
			.header("X-Forwarded-Proto", "https")
			.build(), BodyHandlers.ofString()));
		assertThat(environ).containsEntry("REMOTE_ADDR", "203.0.113.9")
			.containsEntry("wsgi.url_scheme", "https")
			.containsEntry("werkzeug.proxy_fix.orig", "<dict>");
	}

	@Test
	void middlewareRunsOutermostFirst() throws Exception {
		// twod.wsgi.middleware, then WsgiMiddleware beans by @Order, then the app's own middleware.
		assertThat(json(get("/env/x"))).containsEntry("test.trail", "outer>middle>inner>");
	}

	@Test
	void middlewareForOneAppLeavesTheOthersAlone() throws Exception {
		assertThat(get("/behaviour/trail").body()).isEqualTo("none");
		// A call goes through the same workers, so through the same middleware.
		assertThat(json(get("/tail/x"))).containsEntry("test.trail", "outer>middle>inner>");
	}

	@Test
	void environCustomizersRunInOrderForMountsAndCalls() throws Exception {
		Map<String, Object> mounted = json(this.client
			.send(request("/env/x").header("X-Request-Id", "req-42").build(), BodyHandlers.ofString()));
		assertThat(mounted).containsEntry("test.request_id", "req-42")
			.containsEntry("test.customizers", "request id was req-42");
		assertThat(json(get("/tail/x"))).containsEntry("test.request_id", "generated");
	}

	@Test
	void aCustomizerValuePythonCannotTakeIsA500NamingTheKey() throws Exception {
		HttpResponse<String> response = this.client.send(request("/env/x").header("X-Bad-Customizer", "1").build(),
				BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(500);
	}

	@Test
	void staticFilesAreServedWithCachingHeaders() throws Exception {
		HttpResponse<String> response = get("/env-files/hello.txt");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("Hello, static world!\n");
		assertThat(response.headers().firstValue("ETag")).isPresent();
		assertThat(response.headers().firstValue("Last-Modified")).isPresent();
		assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-cache");
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("text/plain"));
	}

	@Test
	void staticFilesAnswerConditionalRequestsWith304() throws Exception {
		String etag = get("/env-files/hello.txt").headers().firstValue("ETag").orElseThrow();
		HttpResponse<String> response = this.client
			.send(request("/env-files/hello.txt").header("If-None-Match", etag).build(), BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(304);
		assertThat(response.body()).isEmpty();
	}

	@Test
	void staticFilesAnswerRangeRequests() throws Exception {
		HttpResponse<String> response = this.client
			.send(request("/env-files/docs/alphabet.txt").header("Range", "bytes=10-15").build(),
					BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(206);
		assertThat(response.body()).isEqualTo("abcdef");
		assertThat(response.headers().firstValue("Content-Range")).hasValue("bytes 10-15/36");
	}

	@Test
	void staticFilesUnderAMountAreServedBySpring() throws Exception {
		HttpResponse<String> response = get("/env/static/hello.txt");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("Hello, static world!\n");
		assertThat(response.headers().firstValue("Cache-Control")).hasValue("max-age=3600");
		assertThat(get("/env/static/missing.txt").statusCode()).isEqualTo(404);
	}

	@Test
	void pathTraversalOutOfAStaticDirectoryIsRefused() throws Exception {
		for (String path : new String[] { "/env-files/../gateway-test.yml", "/env-files/%2e%2e/gateway-test.yml",
				"/env-files/docs/..%2F..%2Fgateway-test.yml", "/env-files/%2e%2e%2fgateway-test.yml",
				"/env/static/..%5c..%5cpom.xml", "/env/static/%2e%2e/%2e%2e/pom.xml" }) {
			HttpResponse<String> response = this.client.send(HttpRequest.newBuilder(URI.create("http://localhost:"
					+ this.port + path)).build(), BodyHandlers.ofString());
			assertThat(response.statusCode()).as(path).isIn(400, 404);
			assertThat(response.body()).as(path).doesNotContain("twod:").doesNotContain("<project");
		}
	}

}
