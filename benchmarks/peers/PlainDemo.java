package io.github.twodwsgi.demo;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;

/**
 * benchmarks/peers.sh's "plain Spring Boot": the demo app without its DemoSecurity (which needs
 * Spring Security's HttpSecurity, so Spring Security's auto-configurations cannot be excluded while
 * it is there) and without DemoApplication (whose component scan would bring it back). Everything
 * else of the demo (its middleware, routes, startup hooks, controllers) stays. Compiled by peers.sh
 * against the demo jar's classes and run from that jar with Spring Boot's PropertiesLauncher.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@ComponentScan(basePackageClasses = DemoApplication.class, excludeFilters = @ComponentScan.Filter(
		type = FilterType.ASSIGNABLE_TYPE, classes = { DemoSecurity.class, DemoApplication.class }))
public class PlainDemo {

	public static void main(String[] args) {
		SpringApplication.run(PlainDemo.class, args);
	}

}
