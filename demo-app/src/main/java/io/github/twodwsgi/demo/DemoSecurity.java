package io.github.twodwsgi.demo;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Spring Security in front of the Python app like in front of any endpoint: {@code /flask/private/**}
 * needs a login (user {@code demo}, password {@code demo}, see application.yml); Flask sees the user
 * as REMOTE_USER. Everything else is open.
 */
@Configuration(proxyBeanMethods = false)
class DemoSecurity {

	@Bean
	SecurityFilterChain demoSecurityFilterChain(HttpSecurity http) throws Exception {
		http.authorizeHttpRequests((requests) -> requests.requestMatchers("/flask/private/**")
			.authenticated()
			.anyRequest()
			.permitAll())
			.httpBasic(Customizer.withDefaults())
			.formLogin(Customizer.withDefaults())
			// The Python apps and the calls to them handle their own forms (benchmarks/memory.sh mounts /bulk).
			.csrf((csrf) -> csrf.ignoringRequestMatchers("/flask/**", "/enriched/**", "/teams/**", "/bulk/**"));
		return http.build();
	}

}
