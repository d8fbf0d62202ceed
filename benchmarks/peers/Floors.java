package io.github.twodwsgi.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.LockSupport;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * benchmarks/floors.sh's reference points inside the JVM of "plain Spring Boot" (compiled next to
 * PlainDemo, found by its component scan): what Tomcat and Spring MVC cost per request with no Python
 * behind them, and what one sleep of the request's thread adds.
 * <ul>
 * <li>{@code /floor/raw/}: a servlet that writes "Hello, World!" (Tomcat's own cost, with Spring
 * Boot's default filters in front);
 * <li>{@code /floor/parked/}: the same after parking its thread for 25 us (at least: the kernel's
 * timer slack adds to it), about the time the plain WSGI hello takes in a worker (a thread that
 * waits for an answer sleeps and is woken);
 * <li>{@code /floor/mvc/}: a Spring MVC controller returning the same string.
 * </ul>
 */
@RestController
public class Floors {

	private static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.US_ASCII);

	@GetMapping("/floor/mvc/")
	String hello() {
		return "Hello, World!";
	}

	@Bean
	ServletRegistrationBean<HttpServlet> rawFloor() {
		return new ServletRegistrationBean<>(new Hello(0), "/floor/raw/*");
	}

	@Bean
	ServletRegistrationBean<HttpServlet> parkedFloor() {
		return new ServletRegistrationBean<>(new Hello(25_000), "/floor/parked/*");
	}

	private static final class Hello extends HttpServlet {

		private final long parkNanos;

		Hello(long parkNanos) {
			this.parkNanos = parkNanos;
		}

		@Override
		protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
			if (this.parkNanos > 0) {
				LockSupport.parkNanos(this.parkNanos);
			}
			response.setContentType("text/plain");
			response.setContentLength(HELLO.length);
			response.getOutputStream().write(HELLO);
		}

	}

}
