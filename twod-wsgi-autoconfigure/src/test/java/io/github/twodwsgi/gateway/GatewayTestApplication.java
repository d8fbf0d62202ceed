package io.github.twodwsgi.gateway;

import java.io.IOException;
import java.security.Principal;
import java.util.Map;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import io.github.twodwsgi.WsgiEnvironCustomizer;
import io.github.twodwsgi.WsgiMiddleware;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.Order;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A bare Spring Boot web app: everything it serves comes from the auto-configuration, plus a filter
 * that authenticates requests carrying {@code X-Test-User} (URL-encoded UTF-8), as container or Spring Security
 * authentication would.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(CallTestControllers.class)
public class GatewayTestApplication {

	@Bean
	OncePerRequestFilter testUserFilter() {
		return new OncePerRequestFilter() {
			@Override
			protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
					FilterChain chain) throws ServletException, IOException {
				String header = request.getHeader("X-Test-User");
				String user = (header != null) ? java.net.URLDecoder.decode(header, java.nio.charset.StandardCharsets.UTF_8)
						: null;
				chain.doFilter((user != null) ? new AuthenticatedRequest(request, user) : request, response);
			}
		};
	}

	/** Adds a header to every mounted request's response, and forbids /env/forbidden/. */
	@Bean
	FilterRegistrationBean<OncePerRequestFilter> envFilter() {
		OncePerRequestFilter filter = new OncePerRequestFilter() {
			@Override
			protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
					FilterChain chain) throws ServletException, IOException {
				if (request.getRequestURI().startsWith("/env/forbidden")) {
					response.sendError(HttpServletResponse.SC_FORBIDDEN);
					return;
				}
				response.setHeader("X-Filtered", "yes");
				chain.doFilter(request, response);
			}
		};
		FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(filter);
		registration.addUrlPatterns("/env/*");
		return registration;
	}

	/** Forbids /env/guarded/*, judged by its URL pattern as the container matches it. */
	@Bean
	FilterRegistrationBean<OncePerRequestFilter> guardFilter() {
		OncePerRequestFilter filter = new OncePerRequestFilter() {
			@Override
			protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
					FilterChain chain) throws IOException {
				response.sendError(HttpServletResponse.SC_FORBIDDEN);
			}
		};
		FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(filter);
		registration.addUrlPatterns("/env/guarded/*");
		return registration;
	}

	@Bean
	@Order(1)
	WsgiMiddleware proxyFix() {
		return WsgiMiddleware.python("werkzeug.middleware.proxy_fix:ProxyFix", Map.of("x_for", 1, "x_proto", 1))
			.forApps("env");
	}

	@Bean
	@Order(2)
	WsgiMiddleware middleTrail() {
		return WsgiMiddleware.python("gateway_apps:trail_middleware", Map.of("name", "middle")).forApps("env");
	}

	@Bean
	@Order(1)
	WsgiEnvironCustomizer requestId() {
		return (request, environ) -> {
			String id = request.getHeader("X-Request-Id");
			environ.put("test.request_id", (id != null) ? id : "generated");
			if (request.getHeader("X-Bad-Customizer") != null) {
				environ.put("test.bad", new Object());
			}
		};
	}

	@Bean
	@Order(2)
	WsgiEnvironCustomizer sawRequestId() {
		return (request, environ) -> environ.put("test.customizers", "request id was " + environ.get("test.request_id"));
	}

	static final class AuthenticatedRequest extends HttpServletRequestWrapper {

		private final String user;

		AuthenticatedRequest(HttpServletRequest request, String user) {
			super(request);
			this.user = user;
		}

		@Override
		public Principal getUserPrincipal() {
			return () -> this.user;
		}

		@Override
		public String getRemoteUser() {
			return this.user;
		}

		@Override
		public String getAuthType() {
			return HttpServletRequest.BASIC_AUTH;
		}

	}

}
