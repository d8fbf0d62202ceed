package io.github.twodwsgi.demo;

import io.github.twodwsgi.WsgiGateway;
import io.github.twodwsgi.WsgiResponse;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * A Spring controller that hands requests to the Flask app and changes its answer:
 * {@code /enriched/hello/Ada} is Flask's {@code /hello/Ada} with an extra header.
 */
@RestController
class EnrichedController {

	private final WsgiGateway gateway;

	EnrichedController(WsgiGateway gateway) {
		this.gateway = gateway;
	}

	@GetMapping("/enriched/{*rest}")
	ResponseEntity<StreamingResponseBody> enriched(HttpServletRequest request) {
		// Flask sees SCRIPT_NAME=/enriched and PATH_INFO=the rest, so its url_for() links come back here.
		WsgiResponse response = this.gateway.call("flask", request);
		response.headers().add("X-Enriched-By", "Spring");
		return response.toResponseEntity();
	}

}
