package io.github.twodwsgi.environment;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/**
 * A Spring Boot app with nothing but what its properties mount, run in a JVM of its own by
 * {@link PrepareOnlyTests}.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class PreparedApplication {

	public static void main(String[] args) {
		SpringApplication.run(PreparedApplication.class, args);
	}

}
