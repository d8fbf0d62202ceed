package io.github.twodwsgi.realapps;

import java.io.IOException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.multipart.MultipartFile;

/**
 * A Spring Boot app as users write them: Spring Boot's defaults (multipart resolution,
 * FormContentFilter), Spring Security with HTTP basic and CSRF, a filter that reads parameters, and a
 * controller that takes uploads itself, beside the mounted apps of {@code real-apps-test.yml}.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class RealAppsTestApplication {

	/** Forms under /flask/csrf/ need Spring's CSRF token; /flask/private/ needs a login. */
	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
		http.authorizeHttpRequests((requests) -> requests.requestMatchers("/flask/private/**")
			.authenticated()
			.anyRequest()
			.permitAll())
			.httpBasic(Customizer.withDefaults())
			.csrf((csrf) -> csrf.requireCsrfProtectionMatcher((request) -> request.getRequestURI().startsWith("/flask/csrf/")
					&& !"GET".equals(request.getMethod())));
		return http.build();
	}

	/** Reads the parameters of every mounted request, as many filters do, and tells what it saw. */
	@Bean
	FilterRegistrationBean<OncePerRequestFilter> parameterReadingFilter() {
		OncePerRequestFilter filter = new OncePerRequestFilter() {
			@Override
			protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
					FilterChain chain) throws ServletException, IOException {
				Map<String, List<String>> seen = new TreeMap<>();
				request.getParameterMap().forEach((name, values) -> seen.put(name, List.of(values)));
				response.setHeader("X-Filter-Saw", seen.toString());
				chain.doFilter(request, response);
			}
		};
		FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(filter);
		registration.addUrlPatterns("/flask/*", "/streamed/*", "/django/*");
		return registration;
	}

	@RestController
	static class SpringSide {

		/** Spring's own multipart handling still works for Spring's own endpoints. */
		@PostMapping("/spring/upload")
		Map<String, Object> upload(@RequestParam("file") MultipartFile file) throws Exception {
			byte[] bytes = file.getBytes();
			return Map.of("size", bytes.length, "sha256",
					HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
		}

		@GetMapping("/spring/csrf")
		Map<String, String> csrf(CsrfToken token) {
			return Map.of("parameter", token.getParameterName(), "token", token.getToken());
		}

		@GetMapping("/spring/ping")
		List<String> ping() {
			return new ArrayList<>(List.of("pong"));
		}

	}

}
