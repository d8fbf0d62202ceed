package io.github.twodwsgi.gateway;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/**
 * A bare Spring Boot web app: everything it serves comes from the auto-configuration.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class GatewayTestApplication {

}
