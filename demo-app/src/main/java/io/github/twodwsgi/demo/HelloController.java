package io.github.twodwsgi.demo;

import java.util.Map;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A plain Spring endpoint, served by the same Tomcat as the Flask app.
 */
@RestController
class HelloController {

	@GetMapping("/hello")
	Map<String, String> hello(@RequestParam(defaultValue = "world") String name) {
		return Map.of("greeting", "Hello, " + name + "!", "from", "Spring");
	}

}
