package io.github.twodwsgi.demo;

import java.util.Map;
import java.util.UUID;

import io.github.twodwsgi.WsgiEnvironCustomizer;
import io.github.twodwsgi.WsgiMiddleware;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

/**
 * Middleware declared in Java: Werkzeug's ProxyFix around the Flask app (outside the middleware of
 * application.yml), and a request id that every Python request gets in its environ.
 */
@Configuration(proxyBeanMethods = false)
class DemoMiddleware {

	@Bean
	@Order(1)
	WsgiMiddleware proxyFix() {
		return WsgiMiddleware.python("werkzeug.middleware.proxy_fix:ProxyFix", Map.of("x_for", 1, "x_proto", 1));
	}

	@Bean
	WsgiEnvironCustomizer requestId() {
		return (request, environ) -> {
			String id = request.getHeader("X-Request-Id");
			environ.put("demo.request_id", (id != null) ? id : UUID.randomUUID().toString());
		};
	}

}
