package io.github.twodwsgi.realapps;

import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.twodwsgi.testsupport.LocalHttpTests;
import io.github.twodwsgi.testsupport.Multipart;
import io.github.twodwsgi.testsupport.RequiresDjango;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Django project ({@code uploadsite}, under Debian's python3) in the same Spring Boot app as
 * {@link RealAppsTests}: uploads through {@code request.FILES}, forms through {@code request.POST},
 * and a Django form behind Django's own CSRF protection.
 */
@RequiresDjango
@SpringBootTest(classes = RealAppsTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.config.location=classpath:real-apps-test.yml", "spring.autoconfigure.exclude=" })
class DjangoUploadsTests extends LocalHttpTests {

	@ParameterizedTest(name = "{0} files")
	@ValueSource(ints = { 1, 3, 20 })
	void djangoGetsEveryUploadedFileInRequestFiles(int count) throws Exception {
		Multipart upload = new Multipart().field("title", "été");
		int[] sizes = { 10, 5 * 1024 * 1024, 100_000, 3_000_000, 1 };
		for (int i = 0; i < count; i++) {
			upload.file((i % 2 == 0) ? "even" : "odd", "file-" + i + ".bin", sizes[i % sizes.length], i);
		}
		Map<String, Object> answer = json(post("/django/files/", upload));
		List<Map<String, Object>> expected = upload.files()
			.stream()
			.map((part) -> Map.<String, Object>of("field", part.field(), "filename", part.filename(), "size",
					part.size(), "sha256", part.sha256()))
			.toList();
		assertThat(answer.get("parts")).asInstanceOf(InstanceOfAssertFactories.LIST)
			.containsExactlyInAnyOrderElementsOf(expected);
		assertThat(answer.get("form")).isEqualTo(Map.of("title", List.of("été")));
	}

	@Test
	void djangoGetsA50MebibyteUpload() throws Exception {
		Multipart upload = new Multipart().file("archive", "archive.bin", 50 * 1024 * 1024, 9);
		Map<String, Object> answer = json(post("/django/files/", upload));
		assertThat((List<?>) answer.get("parts")).hasSize(1);
		assertThat(((Map<?, ?>) ((List<?>) answer.get("parts")).get(0)).get("sha256"))
			.isEqualTo(upload.files().get(0).sha256());
	}

	@ParameterizedTest
	@ValueSource(strings = { "POST", "PUT", "PATCH", "DELETE" })
	void formBodiesReachDjangoByteForByte(String method) throws Exception {
		String body = "name=Ada+Lovelace&tags=a&tags=b&city=K%C3%B8benhavn";
		Map<String, Object> answer = json(send(request("/django/form/")
			.header("Content-Type", "application/x-www-form-urlencoded")
			.method(method, BodyPublishers.ofString(body))
			.build()));
		assertThat(answer).containsEntry("method", method).containsEntry("raw", body);
		assertThat(answer.get("form")).isEqualTo(
				Map.of("name", List.of("Ada Lovelace"), "tags", List.of("a", "b"), "city", List.of("København")));
	}

	@Test
	void aDjangoFormPassesDjangosOwnCsrfCheck() throws Exception {
		HttpResponse<String> form = get("/django/note/");
		String token = (String) json(form).get("csrf_token");
		String cookie = form.headers().allValues("Set-Cookie").stream()
			.filter((value) -> value.startsWith("csrftoken="))
			.findFirst()
			.orElseThrow()
			.split(";")[0];
		HttpResponse<String> accepted = send(request("/django/note/").header("Cookie", cookie)
			.header("Referer", "http://localhost:" + this.port + "/django/note/")
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(BodyPublishers.ofString("csrfmiddlewaretoken=" + token + "&text=remember+the+milk"))
			.build());
		assertThat(json(accepted)).containsEntry("text", "remember the milk");
		HttpResponse<String> refused = send(request("/django/note/").header("Cookie", cookie)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(BodyPublishers.ofString("text=no+token"))
			.build());
		assertThat(refused.statusCode()).isEqualTo(403);
	}

	/**
	 * Django's request_finished receivers run in close(), after the page is out: with Content-Length,
	 * and streamed without one (its last chunk leaves before close(), as under gunicorn).
	 */
	@ParameterizedTest
	@ValueSource(strings = { "slow-finish/:the whole page", "slow-finish-streamed/:the whole streamed page" })
	void thePageArrivesBeforeDjangosRequestFinishedReceiversEnd(String pathAndBody) throws Exception {
		String[] parts = pathAndBody.split(":");
		long start = System.nanoTime();
		HttpResponse<String> response = get("/django/" + parts[0]);
		long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
		assertThat(response.body()).isEqualTo(parts[1]);
		assertThat(millis).as("the receiver takes 2,000 ms").isLessThan(1500);
		// The worker waited for the receiver: the next request is served once it is done, correctly.
		assertThat(get("/django/form/?x=1").statusCode()).isIn(200, 405);
	}

	private HttpResponse<String> post(String path, Multipart upload) throws Exception {
		return send(request(path).header("Content-Type", upload.contentType())
			.POST(BodyPublishers.ofByteArray(upload.toByteArray()))
			.build());
	}

}
