package io.github.twodwsgi.gateway;

import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.util.Map;

import io.github.twodwsgi.testsupport.LocalHttpTests;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Mounts under a servlet context path: the mount servlets, the filters in front and the environ all
 * take it into account.
 */
@SpringBootTest(classes = GatewayTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.config.location=classpath:gateway-test.yml", "server.servlet.context-path=/ctx" })
class ContextPathTests extends LocalHttpTests {

	@Test
	void scriptNameHoldsTheContextPathAndTheMount() throws Exception {
		HttpResponse<String> response = send(request("/ctx/env/some/path?a=1")
			.POST(BodyPublishers.ofString("body under a context path"))
			.build());
		Map<String, Object> environ = json(response);
		assertThat(environ).containsEntry("SCRIPT_NAME", "/ctx/env")
			.containsEntry("PATH_INFO", "/some/path")
			.containsEntry("body", "body under a context path");
		assertThat(response.headers().firstValue("X-Filtered")).hasValue("yes");
	}

	@Test
	void pathsOutsideTheContextAreNotTheApps() throws Exception {
		assertThat(get("/env/some/path").statusCode()).isEqualTo(404);
		assertThat(get("/ctx/env/guarded/x").statusCode()).isEqualTo(403);
	}

}
