package io.github.twodwsgi.demo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real browser on the Flask app's upload page ({@code /flask/upload}): the files it sends as
 * multipart/form-data and the form-urlencoded PUT of its fetch() script must reach Flask whole.
 * Needs chromium and chromedriver (skipped without them).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@RequiresChromium
class FlaskUploadBrowserTests {

	private static WebDriver browser;

	@LocalServerPort
	int port;

	@BeforeAll
	static void startBrowser(@TempDir Path profile) {
		browser = HeadlessChromium.start(profile);
	}

	@AfterAll
	static void quitBrowser() {
		if (browser != null) {
			browser.quit();
		}
	}

	@Test
	void flaskListsEveryUploadedFileWithItsSizeAndSha256(@TempDir Path directory) throws Exception {
		Map<Path, byte[]> files = new LinkedHashMap<>();
		files.put(directory.resolve("ten-bytes.txt"), "0123456789".getBytes());
		files.put(directory.resolve("hundred-kb.bin"), randomBytes(100 * 1024));
		files.put(directory.resolve("données d'été.bin"), randomBytes(2 * 1024 * 1024));
		for (Map.Entry<Path, byte[]> file : files.entrySet()) {
			Files.write(file.getKey(), file.getValue());
		}

		browser.get(url("/flask/upload"));
		browser.findElement(By.id("files"))
			.sendKeys(files.keySet().stream().map(Path::toString).collect(Collectors.joining("\n")));
		browser.findElement(By.id("note")).sendKeys("three files, one named in French: été");
		WebElement upload = browser.findElement(By.id("upload"));
		HeadlessChromium.clickToNextPage(browser, upload);
		assertThat(browser.getTitle()).as(pageText()).isEqualTo("Flask received");

		Map<String, List<String>> expected = new LinkedHashMap<>();
		files.forEach((path, content) -> expected.put(path.getFileName().toString(),
				List.of(String.valueOf(content.length), sha256(content))));
		assertThat(shownFiles()).isEqualTo(expected);
		assertThat(browser.findElement(By.id("note")).getText()).isEqualTo("three files, one named in French: été");
	}

	@Test
	void flaskParsesTheFormUrlencodedPutOfTheFetchScript() {
		browser.get(url("/flask/upload"));
		assertThat(browser.findElement(By.id("form-echo-body")).getText()).isEqualTo("a=1&b=two+words&c=%C3%A9");
		browser.findElement(By.id("form-echo-send")).click();
		WebElement result = browser.findElement(By.id("form-echo-result"));
		waitFor().until((driver) -> !result.getText().isEmpty());

		assertThat(JsonMapper.builder().build().readValue(result.getText(), Map.class))
			.isEqualTo(Map.of("a", "1", "b", "two words", "c", "é"));
	}

	/** File name to size and sha256, as the result page's table shows them. */
	private static Map<String, List<String>> shownFiles() {
		Map<String, List<String>> shown = new LinkedHashMap<>();
		for (WebElement row : browser.findElements(By.cssSelector("#files tr.file"))) {
			String name = row.findElement(By.className("name")).getText();
			shown.put(name, List.of(row.findElement(By.className("size")).getText(),
					row.findElement(By.className("sha256")).getText()));
		}
		return shown;
	}

	/** What the browser shows, for failure messages. */
	private static String pageText() {
		return browser.findElement(By.tagName("body")).getText();
	}

	private String url(String path) {
		return "http://localhost:" + this.port + path;
	}

	private static WebDriverWait waitFor() {
		return new WebDriverWait(browser, Duration.ofSeconds(10));
	}

	private static byte[] randomBytes(int size) {
		byte[] bytes = new byte[size];
		new Random(size).nextBytes(bytes);
		return bytes;
	}

	private static String sha256(byte[] content) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
