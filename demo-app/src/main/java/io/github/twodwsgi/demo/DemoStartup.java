package io.github.twodwsgi.demo;

import io.github.twodwsgi.WsgiResponse;
import io.github.twodwsgi.WsgiStartupHook;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A Java startup hook: once the Flask workers are up and the once hooks have run, call the app once
 * so that the first user does not pay for a cold start.
 */
@Configuration(proxyBeanMethods = false)
class DemoStartup {

	private static final Logger logger = LoggerFactory.getLogger(DemoStartup.class);

	@Bean
	WsgiStartupHook warmUpFlask() {
		return (gateway) -> {
			try (WsgiResponse response = gateway.get("flask", "/")) {
				logger.info("Warmed up the Flask app: {} {}", response.status(), response.reason());
			}
		};
	}

}
