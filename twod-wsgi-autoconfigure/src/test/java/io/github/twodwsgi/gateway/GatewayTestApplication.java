package io.github.twodwsgi.gateway;

import java.io.IOException;
import java.security.Principal;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
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
