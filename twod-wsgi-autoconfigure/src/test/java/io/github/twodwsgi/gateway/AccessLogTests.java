package io.github.twodwsgi.gateway;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** The combined log format of {@link AccessLog}: its fields, the escaping of client values, the time. */
class AccessLogTests {

	private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-07T09:15:30.250Z"));

	private final AccessLog log = new AccessLog(new Clock() {

		@Override
		public ZoneId getZone() {
			return ZoneOffset.ofHours(1);
		}

		@Override
		public Clock withZone(ZoneId zone) {
			throw new UnsupportedOperationException();
		}

		@Override
		public Instant instant() {
			return AccessLogTests.this.now.get();
		}

	});

	@Test
	void combinedFormatWithTheTimeTakenInMicroseconds() {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/flask/upload");
		request.setRemoteAddr("10.1.2.3");
		request.setRemoteUser("demo");
		request.setQueryString("a=1&b=2");
		request.setProtocol("HTTP/1.1");
		request.addHeader("Referer", "https://example.org/form");
		request.addHeader("User-Agent", "curl/8.5.0");
		MockHttpServletResponse response = new MockHttpServletResponse();
		response.setStatus(201);

		assertThat(this.log.line(request, response, 17, 1_234_567)).isEqualTo("10.1.2.3 - demo [07/Dec/2026:10:15:30 +0100] "
				+ "\"POST /flask/upload?a=1&b=2 HTTP/1.1\" 201 17 \"https://example.org/form\" \"curl/8.5.0\" 1234");
	}

	@Test
	void missingValuesAreDashes() {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/plain/");
		request.setRemoteAddr("127.0.0.1");
		request.setProtocol("HTTP/1.0");

		assertThat(this.log.line(request, new MockHttpServletResponse(), -1, 999))
			.isEqualTo("127.0.0.1 - - [07/Dec/2026:10:15:30 +0100] \"GET /plain/ HTTP/1.0\" 200 - \"-\" \"-\" 0");
	}

	@Test
	void clientValuesCannotEndAFieldOrForgeALine() {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/plain/\"x");
		request.setRemoteAddr("127.0.0.1");
		request.setProtocol("HTTP/1.1");
		// Headers come from the container as one char per byte received: 0xE9 is the byte itself.
		request.addHeader("User-Agent", "evil\" 200 - \"-\" \"x\n127.0.0.1 - admin\\ \u00e9\u0001");
		request.addHeader("Referer", "\t");
		request.setRemoteUser("J\u00fcrgen \u20ac");

		String line = this.log.line(request, new MockHttpServletResponse(), -1, 0);

		// The user name is Spring's, not bytes received: its UTF-8 is escaped.
		assertThat(line).isEqualTo("127.0.0.1 - J\\xC3\\xBCrgen\\x20\\xE2\\x82\\xAC [07/Dec/2026:10:15:30 +0100] "
				+ "\"GET /plain/\\x22x HTTP/1.1\" 200 - \"\\x09\" "
				+ "\"evil\\x22 200 - \\x22-\\x22 \\x22x\\x0A127.0.0.1 - admin\\x5C \\xE9\\x01\" 0");
		assertThat(line).doesNotContain("\n").containsOnlyOnce("\" 200 ");
	}

	@Test
	void anAddressFromXForwardedForCannotForgeTheFieldsAfterIt() {
		// Tomcat's RemoteIpValve takes X-Forwarded-For from a trusted proxy as it comes, unchecked.
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/plain/");
		request.setRemoteAddr("1.2.3.4 - admin [01/Jan/2026:00:00:00 +0000] \"GET /admin HTTP/1.1\" 200");
		request.setProtocol("HTTP/1.1");
		request.setRemoteUser("Ada Lovelace");

		String line = this.log.line(request, new MockHttpServletResponse(), -1, 0);

		assertThat(line).startsWith("1.2.3.4\\x20-\\x20admin\\x20[01/Jan/2026:00:00:00\\x20+0000]\\x20\\x22GET"
				+ "\\x20/admin\\x20HTTP/1.1\\x22\\x20200 - Ada\\x20Lovelace [07/Dec/2026:10:15:30 +0100] ");
		// addr - user [time zone] "method uri protocol" status - "referer" "agent" micros: 13, as any line
		assertThat(line.split(" ")).hasSize(13);
	}

	@Test
	void anEmptyQueryIsAQuestionMarkAlone() {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/plain/");
		request.setQueryString("");
		request.setProtocol("HTTP/1.1");

		assertThat(this.log.line(request, new MockHttpServletResponse(), -1, 0)).contains("\"GET /plain/? HTTP/1.1\"");
	}

	@Test
	void aUserNameIsEscapedAsItsUtf8AndALoneSurrogateAsAQuestionMark() {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/");
		request.setRemoteUser("\ud83d\ude00x\ud83dy");

		assertThat(this.log.line(request, new MockHttpServletResponse(), -1, 0))
			.contains(" - \\xF0\\x9F\\x98\\x80x\\x3Fy [");
	}

	@Test
	void theTimeFollowsTheClockSecondBySecond() {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/");
		MockHttpServletResponse response = new MockHttpServletResponse();
		assertThat(this.log.line(request, response, -1, 0)).contains("[07/Dec/2026:10:15:30 +0100]");
		this.now.set(Instant.parse("2026-12-07T09:15:30.999Z"));
		assertThat(this.log.line(request, response, -1, 0)).contains("[07/Dec/2026:10:15:30 +0100]");
		this.now.set(Instant.parse("2026-12-07T09:15:31.000Z"));
		assertThat(this.log.line(request, response, -1, 0)).contains("[07/Dec/2026:10:15:31 +0100]");
		this.now.set(Instant.parse("2027-01-01T00:00:00Z"));
		assertThat(this.log.line(request, response, -1, 0)).contains("[01/Jan/2027:01:00:00 +0100]");
	}

}
