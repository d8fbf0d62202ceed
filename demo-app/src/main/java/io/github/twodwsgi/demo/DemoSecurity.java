package io.github.twodwsgi.demo;

import java.util.stream.Collectors;

import io.github.twodwsgi.WsgiEnvironCustomizer;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.security.autoconfigure.SecurityProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Spring Security in front of the Python apps like in front of any endpoint: {@code /flask/private/**}
 * and Django's admin ({@code /django/admin/**}) with its uploads ({@code /django/media/**}) need a login (user {@code demo}, password
 * {@code demo}, see application.yml); the Python apps see the user as REMOTE_USER and their roles as
 * {@code demo.roles}. Everything else is open.
 */
@Configuration(proxyBeanMethods = false)
class DemoSecurity {

	@Bean
	SecurityFilterChain demoSecurityFilterChain(HttpSecurity http) throws Exception {
		http.authorizeHttpRequests((requests) -> requests
			// Uploaded documents are user content: behind the login too, never open to anyone.
			.requestMatchers("/flask/private/**", "/django/admin/**", "/django/media/**")
			.authenticated()
			.anyRequest()
			.permitAll())
			.httpBasic(Customizer.withDefaults())
			.formLogin(Customizer.withDefaults())
			// The Python apps and the calls to them handle their own forms (Django checks its own CSRF
			// token; benchmarks/memory.sh mounts /bulk).
			.csrf((csrf) -> csrf.ignoringRequestMatchers("/flask/**", "/django/**", "/enriched/**", "/teams/**",
					"/bulk/**"));
		return http.build();
	}

	/**
	 * No observation per filter of the security chain on every request (nor of each authentication
	 * and authorization): Spring Security then does not wrap its filters at all, which Boot's
	 * {@code management.observations.enable.spring.security=false} alone does not spare (the
	 * observations are no-ops, the wrapping of every filter on every request stays).
	 * {@code demo.security-observations=true} keeps Spring Security's default, for benchmarks/run.sh.
	 */
	@Bean
	@ConditionalOnProperty(name = "demo.security-observations", havingValue = "false", matchIfMissing = true)
	SecurityObservationSettings noSpringSecurityObservations() {
		return SecurityObservationSettings.noObservations();
	}

	/**
	 * The user of application.yml, an administrator, and a second one without roles: Django lets the
	 * first into its admin and turns the second away (demo_django/spring_users.py). Declaring users
	 * replaces Boot's single user, so this one takes it over; passwords in plain text, demo only.
	 */
	@Bean
	InMemoryUserDetailsManager demoUsers(SecurityProperties properties) {
		SecurityProperties.User admin = properties.getUser();
		return new InMemoryUserDetailsManager(
				User.withUsername(admin.getName())
					.password("{noop}" + admin.getPassword())
					.roles(admin.getRoles().toArray(String[]::new))
					.build(),
				User.withUsername("reader").password("{noop}reader").roles().build());
	}

	/** The logged-in user's authorities, comma-separated, for the Python apps to decide on. */
	@Bean
	WsgiEnvironCustomizer springRoles() {
		return (request, environ) -> {
			if (request.getUserPrincipal() instanceof Authentication authentication) {
				environ.put("demo.roles", authentication.getAuthorities()
					.stream()
					.map(GrantedAuthority::getAuthority)
					.collect(Collectors.joining(",")));
			}
		};
	}

}
