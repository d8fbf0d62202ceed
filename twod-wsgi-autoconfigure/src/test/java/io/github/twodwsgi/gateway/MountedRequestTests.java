package io.github.twodwsgi.gateway;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What filters see of a mounted request, and that the app still gets every byte afterwards.
 */
class MountedRequestTests {

	@TempDir
	Path directory;

	@Test
	void filtersSeeQueryAndFormParametersAndTheAppStillGetsTheBody() throws Exception {
		String body = "_csrf=abc&note=two+words&note=%C3%A9";
		MockHttpServletRequest request = form("POST", body);
		request.setQueryString("q=1&empty&bad=%zz");
		MountedRequest mounted = MountedRequest.wrap(request, policy(true));
		assertThat(mounted.getParameter("_csrf")).isEqualTo("abc");
		assertThat(mounted.getParameterValues("note")).containsExactly("two words", "é");
		assertThat(mounted.getParameter("q")).isEqualTo("1");
		assertThat(mounted.getParameter("empty")).isEmpty();
		assertThat(mounted.getParameterMap()).doesNotContainKey("bad");
		// A filter reads the body too: it gets a copy.
		assertThat(new String(mounted.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1)).isEqualTo(body);
		assertThat(new String(mounted.appInput().readAllBytes(), StandardCharsets.ISO_8859_1)).isEqualTo(body);
		assertThat(MountedRequest.of(request)).isSameAs(mounted);
		mounted.close();
	}

	@Test
	void onlyAPostsFormBodyCarriesParameters() throws Exception {
		// As the container has it; Spring's FormContentFilter adds those of PUT, PATCH and DELETE itself.
		MountedRequest put = MountedRequest.wrap(form("PUT", "a=1"), policy(true));
		assertThat(put.getParameterMap()).isEmpty();
		assertThat(put.isBufferingStarted()).isFalse();
		MockHttpServletRequest multipart = new MockHttpServletRequest("POST", "/shop/upload");
		multipart.setContentType("multipart/form-data; boundary=x");
		multipart.setContent("--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--x--\r\n".getBytes());
		MountedRequest mountedMultipart = MountedRequest.wrap(multipart, policy(true));
		assertThat(mountedMultipart.getParameterMap()).isEmpty();
		assertThat(mountedMultipart.isBufferingStarted()).isFalse();
	}

	@Test
	void withoutBufferingTheAppReadsStraightFromTheClient() throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/shop/upload");
		request.setContent("streamed".getBytes());
		MountedRequest mounted = MountedRequest.wrap(request, policy(false));
		assertThat(mounted.isBuffered()).isFalse();
		assertThat(mounted.appInput().readAllBytes()).isEqualTo("streamed".getBytes());
	}

	@Test
	void aFormBodyOverTheLimitLeavesFiltersTheQueryAndTheMountItsFailure() {
		MockHttpServletRequest request = form("POST", "a=" + "x".repeat(100));
		request.setQueryString("q=1");
		MountedRequest mounted = MountedRequest.wrap(request, new MountedRequest.BodyPolicy(true, 50, 1024, this.directory));
		assertThat(mounted.getParameterMap()).containsOnlyKeys("q");
		assertThat(mounted.isBufferingStarted()).isTrue();
		assertThatThrownBy(mounted::bufferBody)
			.isInstanceOf(BufferedBody.BodyTooLargeException.class);
	}

	private MountedRequest.BodyPolicy policy(boolean buffering) {
		return new MountedRequest.BodyPolicy(buffering, -1, 1024, this.directory);
	}

	private static MockHttpServletRequest form(String method, String body) {
		MockHttpServletRequest request = new MockHttpServletRequest(method, "/shop/form");
		request.setContentType("application/x-www-form-urlencoded");
		request.setCharacterEncoding("UTF-8");
		request.setContent(body.getBytes(StandardCharsets.ISO_8859_1));
		return request;
	}

}
