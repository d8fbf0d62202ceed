package io.github.twodwsgi.demo;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Spring Boot app with a Flask app mounted at {@code /flask} (see {@code application.yml}) beside
 * a Spring controller at {@code /hello}.
 */
@SpringBootApplication
public class DemoApplication {

	public static void main(String[] args) {
		SpringApplication.run(DemoApplication.class, args);
	}

}
