package io.github.twodwsgi.gateway;

import java.io.InputStream;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.github.twodwsgi.WsgiApplication;
import io.github.twodwsgi.testsupport.PatternBody;
import io.github.twodwsgi.WsgiGateway;
import io.github.twodwsgi.testsupport.LocalHttpTests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * Controllers and routes calling real python3 workers through {@link WsgiGateway} (see
 * {@link CallTestControllers}), over real HTTP.
 */
@SpringBootTest(classes = GatewayTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "spring.config.location=classpath:gateway-test.yml")
class GatewayCallTests extends LocalHttpTests {

	@Autowired
	WsgiGateway gateway;

	@Autowired
	@Qualifier("behaviourWsgiApplication")
	WsgiApplication behaviour;

	@Test
	void theCapturedRestOfAnAnnotatedRouteIsPathInfo() throws Exception {
		assertThat(paths("/tail/a/b")).containsExactly("/tail", "/a/b");
		assertThat(paths("/tail/")).containsExactly("/tail", "/");
		assertThat(paths("/tail")).containsExactly("/tail", "");
		assertThat(paths("/tail/a%20b/c%2Bd")).containsExactly("/tail", "/a b/c+d");
	}

	@Test
	void anExplicitSuffixSplitsThePath() throws Exception {
		assertThat(paths("/explicit/one/two?suffix=/two")).containsExactly("/explicit/one", "/two");
		assertThat(paths("/explicit/one/two?suffix=")).containsExactly("/explicit/one/two", "");
		assertThat(paths("/explicit/one/two/?suffix=/")).containsExactly("/explicit/one/two", "/");
		assertThat(paths("/explicit/caf%C3%A9/x?suffix=/x")).containsExactly(latin1("/explicit/café"), "/x");
		// Given decoded (as @PathVariable does) or as sent, the suffix of a percent-encoded path works.
		assertThat(paths("/explicit/a%20b?suffix=/a%20b")).containsExactly("/explicit", "/a b");
		assertThat(paths("/explicit/a%20b?suffix=/a%2520b")).containsExactly("/explicit", "/a b");
	}

	@Test
	void aPathInfoThatIsNotASuffixIsRefusedNamingBothPaths() throws Exception {
		HttpResponse<String> response = get("/explicit/one/two?suffix=/three");
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).isEqualTo("path_info '/three' is not the end of the request path '/explicit/one/two'");
		assertThat(get("/explicit/one/two?suffix=two").body()).contains("must be empty or start with '/'");
	}

	@Test
	void theCallersRequestIsUnchanged() throws Exception {
		Map<String, Object> states = json(get("/unchanged/x?q=1"));
		assertThat(states.get("after")).isEqualTo(states.get("before"));
	}

	@Test
	void routeFunctionsServeASubtree() throws Exception {
		Map<String, Object> environ = json(get("/wiki/Main_Page/history"));
		assertThat(environ).containsEntry("SCRIPT_NAME", "/wiki")
			.containsEntry("PATH_INFO", "/Main_Page/history")
			.containsEntry("wsgiorg.routing_args", List.of(List.of(), Map.of("rest", "/Main_Page/history")));
		assertThat(paths("/wiki")).containsExactly("/wiki", "");
		assertThat(paths("/docs/guide/intro")).containsExactly("/docs", "/guide/intro");
	}

	@Test
	void routingArgsCarryOneOrSeveralVariables() throws Exception {
		assertThat(json(get("/users/ada/items/42"))).containsEntry("wsgiorg.routing_args",
				List.of(List.of(), Map.of("user", "ada", "item", "42")))
			.containsEntry("SCRIPT_NAME", "/users/ada/items/42")
			.containsEntry("PATH_INFO", "");
		assertThat(json(get("/spaces/eng/pages/a/b"))).containsEntry("wsgiorg.routing_args",
				List.of(List.of(), Map.of("space", "eng", "page", "/a/b")));
		assertThat(json(get("/wiki/x"))).containsEntry("wsgiorg.routing_args.types", "tuple,tuple,dict");
	}

	@Test
	void mountedAppsHaveNoRoutingArgs() throws Exception {
		assertThat(json(get("/env/x"))).doesNotContainKey("wsgiorg.routing_args");
	}

	@Test
	void theControllerMayChangeStatusAndHeaders() throws Exception {
		HttpResponse<String> response = get("/changed/headers");
		assertThat(response.statusCode()).isEqualTo(202);
		assertThat(response.headers().firstValue("X-Added-By-Controller")).hasValue("yes");
		assertThat(response.headers().allValues("X-Repeated")).containsExactly("one", "two");
		assertThat(response.headers().allValues("Set-Cookie")).containsExactly("a=1; Path=/", "b=2; HttpOnly");
		assertThat(response.body()).isEqualTo("created");
	}

	@Test
	void theControllerMayReplaceTheBody() throws Exception {
		List<Long> pids = this.behaviour.getPool().pids();
		assertThat(get("/replaced").body()).isEqualTo("replaced by Java");
		assertThat(this.behaviour.getPool().pids()).isEqualTo(pids);
	}

	@Test
	void cookiesKeepEveryAttribute() throws Exception {
		HttpResponse<String> response = get("/call-behaviour/cookies");
		assertThat(response.headers().allValues("Set-Cookie")).containsExactly(
				"session=abc; Path=/app; Domain=example.org; Max-Age=3600; "
						+ "Expires=Thu, 01 Jan 2037 00:00:00 GMT; Secure; HttpOnly; SameSite=Strict",
				"theme=dark; Path=/; SameSite=Lax", "tracking=; Max-Age=0");
	}

	@Test
	void environCustomizationsReachTheApp() throws Exception {
		assertThat(json(get("/customized"))).containsEntry("myapp.tenant", "acme")
			.containsEntry("myapp.flags", List.of(1, true, "x", Map.of("nested", List.of())))
			.containsEntry("myapp.flags.type", "tuple")
			.containsEntry("HTTP_X_FROM_JAVA", "set by the controller");
	}

	@Test
	void environValuesPythonCannotTakeAreRefused() {
		var request = new org.springframework.mock.web.MockHttpServletRequest("GET", "/x");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.gateway.call("env", request, "", (environ) -> environ.put("bad", new Object())))
			.withMessageContaining("environ['bad'] cannot be java.lang.Object");
		assertThatIllegalArgumentException().isThrownBy(() -> this.gateway.call("nope", request, ""))
			.withMessageContaining("No WSGI app named 'nope'; the configured apps are [");
	}

	@Test
	void aLargeResponseStreamsThroughACall() throws Exception {
		int size = 50 * 1024 * 1024;
		long allocatedBefore = streamThreadAllocations();
		HttpResponse<InputStream> response = this.client.send(
				request("/call-behaviour/download?size=" + size).build(), BodyHandlers.ofInputStream());
		assertThat(response.headers().firstValue("Content-Length")).hasValue(String.valueOf(size));
		PatternBody.assertPattern(response.body(), size);
		// The body was copied frame by frame through fixed buffers: a buffered copy would allocate 50 MiB.
		assertThat(streamThreadAllocations() - allocatedBefore).isLessThan(4L * 1024 * 1024);
	}

	/** Bytes allocated so far by the threads that copy response bodies for toResponseEntity(). */
	private static long streamThreadAllocations() {
		com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory
			.getThreadMXBean();
		long total = 0;
		for (Thread thread : Thread.getAllStackTraces().keySet()) {
			if (thread.getName().startsWith("twod-wsgi-stream-")) {
				total += threads.getThreadAllocatedBytes(thread.getId());
			}
		}
		return total;
	}

	@Test
	void closingAResponseEarlyReachesCloseAndFreesTheWorker(@TempDir Path temp) throws Exception {
		Path marker = temp.resolve("closed.txt");
		Map<String, Object> result = json(get("/read-in-java/stream?chunks=1000&pause=0.05&marker=" + marker));
		assertThat(result).containsEntry("status", 200).containsEntry("reason", "OK").containsEntry("first", "chunk 0\n");
		assertThat(marker).hasContent("closed");
		await().atMost(Duration.ofSeconds(5)).until(() -> this.behaviour.getPool().idleCount() == 2);
	}

	@Test
	void writeToStreamsIntoTheServletResponse() throws Exception {
		HttpResponse<String> response = get("/written/headers");
		assertThat(response.statusCode()).isEqualTo(201);
		assertThat(response.headers().allValues("Set-Cookie")).containsExactly("a=1; Path=/", "b=2; HttpOnly");
		assertThat(response.body()).isEqualTo("created");
	}

	@Test
	void gatewayErrorsOfACallGetTheirStatus() throws Exception {
		assertThat(get("/call-behaviour/raise").statusCode()).isEqualTo(500);
		assertThat(get("/call-behaviour/exit").statusCode()).isEqualTo(502);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.behaviour.getPool().size() == 2);
	}

	private List<String> paths(String path) throws Exception {
		Map<String, Object> environ = json(get(path));
		return List.of((String) environ.get("SCRIPT_NAME"), (String) environ.get("PATH_INFO"));
	}

	private static String latin1(String text) {
		return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
	}

}
