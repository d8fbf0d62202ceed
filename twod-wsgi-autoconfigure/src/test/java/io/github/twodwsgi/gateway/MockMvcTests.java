package io.github.twodwsgi.gateway;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Mounted apps answer MockMvc like any Spring endpoint, their workers real.
 */
@SpringBootTest(classes = GatewayTestApplication.class, webEnvironment = WebEnvironment.MOCK,
		properties = "spring.config.location=classpath:gateway-test.yml")
class MockMvcTests {

	@Autowired
	WebApplicationContext context;

	MockMvc mvc;

	@BeforeEach
	void mockMvc() {
		this.mvc = MockMvcBuilders.webAppContextSetup(this.context).build();
	}

	@Test
	void aMountedAppAnswersMockMvc() throws Exception {
		this.mvc.perform(get(java.net.URI.create("/env/a%20b?q=1")))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.SCRIPT_NAME").value("/env"))
			.andExpect(jsonPath("$.PATH_INFO").value("/a b"))
			.andExpect(jsonPath("$.QUERY_STRING").value("q=1"));
	}

	@Test
	void bodiesAndStatusesGoBothWays() throws Exception {
		this.mvc.perform(post("/env/form").contentType("text/plain").content("posted"))
			.andExpect(jsonPath("$.body").value("posted"))
			.andExpect(jsonPath("$.CONTENT_TYPE").value("text/plain"));
		this.mvc.perform(get("/behaviour/headers"))
			.andExpect(status().isCreated())
			.andExpect(header().stringValues("Set-Cookie", "a=1; Path=/", "b=2; HttpOnly"));
	}

}
