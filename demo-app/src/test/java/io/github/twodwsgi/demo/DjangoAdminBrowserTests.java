package io.github.twodwsgi.demo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import io.github.twodwsgi.test.TemporaryDjangoDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIf;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Django's admin in a real browser, behind Spring's login: Spring Security asks for the login,
 * Django trusts the user it logged in (REMOTE_USER) and decides from Spring's roles whether the user
 * may use the admin; a document uploaded there is listed and served back. Needs Debian's
 * python3-django, chromium and chromedriver (skipped without them).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@ActiveProfiles("django")
@TemporaryDjangoDatabase(apps = "django")
@RequiresChromium
@DisabledIf(value = "djangoIsMissing",
		disabledReason = "Django is not installed for /usr/bin/python3: apt-get install -y python3-django")
class DjangoAdminBrowserTests {

	private static WebDriver browser;

	@LocalServerPort
	int port;

	static boolean djangoIsMissing() throws Exception {
		Process process = new ProcessBuilder("/usr/bin/python3", "-c", "import django").start();
		return !(process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0);
	}

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

	@BeforeEach
	void logOut() {
		// Spring's session and Django's: each test logs in afresh.
		browser.manage().deleteAllCookies();
	}

	@Test
	void theAdminAsksSpringForTheLoginAndWelcomesTheSpringUser() {
		browser.get(url("/django/admin/"));
		logIn("demo", "demo");

		assertThat(browser.getCurrentUrl()).startsWith(url("/django/admin/"));
		assertThat(browser.findElement(By.id("site-name")).getText()).isEqualTo("twod-wsgi demo: Django admin");
		// "Welcome, <strong>demo</strong>." (the admin's CSS shows it in capitals)
		assertThat(browser.findElement(By.cssSelector("#user-tools strong")).getDomProperty("textContent"))
			.isEqualTo("demo");
		// A superuser sees every model, ours included; the admin's own CSS comes from Spring's static files.
		assertThat(browser.findElement(By.id("content-main")).getText()).contains("Documents", "Users");
		assertThat(browser.findElement(By.id("header")).getCssValue("background-color"))
			.isNotEqualTo("rgba(0, 0, 0, 0)");
	}

	@Test
	void theAdminsLogOutLogsOutOfSpring() {
		browser.get(url("/django/admin/"));
		logIn("demo", "demo");
		browser.findElement(By.cssSelector("#user-tools a[href$='/logout/']")).click();
		// Spring's own page asks to confirm.
		WebElement confirm = browser.findElement(By.cssSelector("button[type=submit]"));
		assertThat(browser.getCurrentUrl()).isEqualTo(url("/logout"));
		HeadlessChromium.clickToNextPage(browser, confirm);

		browser.get(url("/django/admin/"));
		assertThat(browser.getCurrentUrl()).isEqualTo(url("/login"));
	}

	@Test
	void aSpringUserWithoutTheAdminRoleIsNotLetIn() {
		browser.get(url("/django/admin/"));
		logIn("reader", "reader");

		assertThat(browser.getCurrentUrl()).startsWith(url("/django/admin/login/"));
		assertThat(browser.findElement(By.className("errornote")).getText())
			.contains("You are authenticated as reader, but are not authorized to access this page.");
	}

	@Test
	void aDocumentUploadedInTheAdminIsListedAndServedBack(@TempDir Path directory) throws Exception {
		byte[] content = new byte[300 * 1024];
		new Random(42).nextBytes(content);
		Path file = Files.write(directory.resolve("quarterly report.pdf"), content);
		String title = "Quarterly report " + System.nanoTime();

		browser.get(url("/django/admin/documents/document/add/"));
		logIn("demo", "demo");
		browser.findElement(By.id("id_title")).sendKeys(title);
		browser.findElement(By.id("id_file")).sendKeys(file.toString());
		WebElement save = browser.findElement(By.name("_save"));
		HeadlessChromium.clickToNextPage(browser, save);

		assertThat(browser.getCurrentUrl()).as(pageText()).isEqualTo(url("/django/admin/documents/document/"));
		assertThat(browser.findElement(By.className("messagelist")).getText()).contains(title,
				"was added successfully");
		browser.findElement(By.linkText(title)).click();
		// The change form links the stored file: "Currently: documents/quarterly_report.pdf".
		String fileUrl = browser.findElement(By.cssSelector(".file-upload a")).getDomProperty("href");
		assertThat(fileUrl).startsWith(url("/django/media/documents/quarterly_report"));

		HttpClient client = HttpClient.newHttpClient();
		HttpResponse<byte[]> anonymous = client.send(HttpRequest.newBuilder(URI.create(fileUrl)).build(),
				BodyHandlers.ofByteArray());
		assertThat(anonymous.statusCode()).as("uploads are behind the login").isEqualTo(401);
		String credentials = Base64.getEncoder().encodeToString("demo:demo".getBytes());
		HttpResponse<byte[]> download = client.send(HttpRequest.newBuilder(URI.create(fileUrl))
			.header("Authorization", "Basic " + credentials)
			.build(), BodyHandlers.ofByteArray());
		assertThat(download.statusCode()).isEqualTo(200);
		assertThat(download.body()).isEqualTo(content);
	}

	/** Fills in Spring Security's login form, where the browser must be, and waits for where it leads. */
	private void logIn(String user, String password) {
		assertThat(browser.getCurrentUrl()).isEqualTo(url("/login"));
		browser.findElement(By.id("username")).sendKeys(user);
		browser.findElement(By.id("password")).sendKeys(password);
		WebElement submit = browser.findElement(By.cssSelector("button[type=submit]"));
		HeadlessChromium.clickToNextPage(browser, submit);
	}

	private static String pageText() {
		return browser.findElement(By.tagName("body")).getText();
	}

	private String url(String path) {
		return "http://localhost:" + this.port + path;
	}

}
