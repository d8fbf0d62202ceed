package io.github.twodwsgi.gateway;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.twodwsgi.WsgiApplicationCallException;
import io.github.twodwsgi.WsgiGateway;
import io.github.twodwsgi.WsgiResponse;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.ServerResponse;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

import static org.springframework.web.servlet.function.RequestPredicates.GET;
import static org.springframework.web.servlet.function.RouterFunctions.route;

/**
 * Controllers and routes that call the test apps through {@link WsgiGateway}.
 */
@RestController
class CallTestControllers {

	private final WsgiGateway gateway;

	CallTestControllers(WsgiGateway gateway) {
		this.gateway = gateway;
	}

	@Bean
	RouterFunction<ServerResponse> wikiRoute(WsgiGateway gateway) {
		return route(GET("/wiki/{*rest}"), gateway.handler("env"))
			.and(route(GET("/spaces/{space}/pages/{*page}"), gateway.handler("env")))
			.and(route(GET("/docs/**"), gateway.handler("env")));
	}

	@GetMapping("/tail/{*rest}")
	ResponseEntity<StreamingResponseBody> tail(HttpServletRequest request) {
		return this.gateway.call("env", request).toResponseEntity();
	}

	@GetMapping("/users/{user}/items/{item}")
	ResponseEntity<StreamingResponseBody> item(HttpServletRequest request) {
		return this.gateway.call("env", request, "").toResponseEntity();
	}

	@RequestMapping("/explicit/**")
	ResponseEntity<StreamingResponseBody> explicit(HttpServletRequest request, @RequestParam String suffix) {
		return this.gateway.call("env", request, suffix).toResponseEntity();
	}

	@GetMapping("/changed/**")
	ResponseEntity<StreamingResponseBody> changed(HttpServletRequest request) {
		WsgiResponse response = this.gateway.call("behaviour", request, "/headers");
		response.setStatus(202);
		response.headers().add("X-Added-By-Controller", "yes");
		return response.toResponseEntity();
	}

	@GetMapping("/replaced")
	ResponseEntity<StreamingResponseBody> replaced(HttpServletRequest request) {
		WsgiResponse response = this.gateway.call("behaviour", request, "");
		response.setBody(new java.io.ByteArrayInputStream("replaced by Java".getBytes()));
		return response.toResponseEntity();
	}

	@GetMapping("/customized")
	ResponseEntity<StreamingResponseBody> customized(HttpServletRequest request) {
		return this.gateway.call("env", request, "", (environ) -> {
			environ.put("myapp.tenant", "acme");
			environ.put("myapp.flags", List.of(1, true, "x", Map.of("nested", List.of())));
			environ.put("HTTP_X_FROM_JAVA", "set by the controller");
		}).toResponseEntity();
	}

	@GetMapping("/call-behaviour/{*rest}")
	ResponseEntity<StreamingResponseBody> behaviour(HttpServletRequest request) {
		return this.gateway.call("behaviour", request).toResponseEntity();
	}

	/** Forwards (or includes) the request to a mounted path: a mounted app serves only a request's own dispatch. */
	@GetMapping("/dispatched/{how}")
	void dispatched(@PathVariable String how, HttpServletRequest request, HttpServletResponse response)
			throws Exception {
		RequestDispatcher dispatcher = request.getRequestDispatcher("/behaviour/pid");
		if (how.equals("forward")) {
			dispatcher.forward(request, response);
		}
		else {
			response.setContentType("text/plain");
			response.getWriter().write("included:");
			dispatcher.include(request, response);
		}
	}

	@GetMapping("/written/{*rest}")
	void written(HttpServletRequest request, jakarta.servlet.http.HttpServletResponse response)
			throws java.io.IOException {
		this.gateway.call("behaviour", request).writeTo(response);
	}

	@GetMapping("/read-in-java/{*rest}")
	Map<String, Object> readInJava(HttpServletRequest request) throws java.io.IOException {
		try (WsgiResponse response = this.gateway.call("behaviour", request)) {
			java.io.InputStream body = response.body();
			byte[] first = body.readNBytes(8);
			return Map.of("status", response.status(), "reason", response.reason(), "first",
					new String(first, java.nio.charset.StandardCharsets.US_ASCII));
		}
	}

	@GetMapping("/unchanged/**")
	Map<String, Object> unchanged(HttpServletRequest request) throws java.io.IOException {
		Map<String, Object> before = snapshot(request);
		try (WsgiResponse response = this.gateway.call("env", request, "/x")) {
			response.body().readAllBytes();
		}
		return Map.of("before", before, "after", snapshot(request));
	}

	private static Map<String, Object> snapshot(HttpServletRequest request) {
		Map<String, Object> state = new LinkedHashMap<>();
		state.put("uri", request.getRequestURI());
		state.put("servletPath", request.getServletPath());
		state.put("pathInfo", String.valueOf(request.getPathInfo()));
		state.put("query", String.valueOf(request.getQueryString()));
		state.put("method", request.getMethod());
		List<String> attributes = new ArrayList<>(Collections.list(request.getAttributeNames()));
		Collections.sort(attributes);
		state.put("attributes", attributes);
		state.put("headers", Collections.list(request.getHeaderNames()));
		return state;
	}

	@ExceptionHandler(WsgiApplicationCallException.class)
	ResponseEntity<String> notASuffix(WsgiApplicationCallException ex) {
		return ResponseEntity.status(HttpStatus.BAD_REQUEST).body(ex.getMessage());
	}

}
