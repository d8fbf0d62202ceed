package io.github.twodwsgi.demo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's chromium, headless, driven by Debian's chromedriver. Both paths are given explicitly, so
 * that Selenium Manager never tries to download a browser or a driver; where either is missing,
 * the browser tests are skipped ({@link RequiresChromium}).
 */
final class HeadlessChromium {

	static final Path BROWSER = Path.of("/usr/bin/chromium");

	static final Path DRIVER = Path.of("/usr/bin/chromedriver");

	/**
	 * The tests speak WebDriver only, never the DevTools protocol, yet Selenium warns at every start
	 * that it has no DevTools bindings for a chromium newer than itself. Held here, as
	 * java.util.logging forgets the level of a logger nobody references.
	 */
	private static final List<Logger> quietLoggers = List.of(
			Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder"),
			Logger.getLogger("org.openqa.selenium.chromium.ChromiumDriver"));

	static {
		quietLoggers.forEach((logger) -> logger.setLevel(Level.SEVERE));
	}

	private HeadlessChromium() {
	}

	/** Whether both are there: see {@link RequiresChromium}. */
	static boolean isInstalled() {
		return Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER);
	}

	/**
	 * Clicks what submits a form or follows a link, and waits until the next page has loaded. The old
	 * page's document is marked first and the wait is for a document without the mark: waiting for the
	 * clicked element to go stale is racy in Chromium, which may answer "node does not belong to the
	 * document" instead of "stale" while the page changes.
	 */
	static void clickToNextPage(WebDriver browser, WebElement element) {
		((JavascriptExecutor) browser).executeScript("document.documentElement.dataset.twodPrevious = 'yes'");
		element.click();
		new WebDriverWait(browser, Duration.ofSeconds(15)).ignoring(WebDriverException.class)
			.until((driver) -> Boolean.TRUE.equals(((JavascriptExecutor) driver).executeScript(
					"return document.readyState === 'complete' && document.documentElement.dataset.twodPrevious !== 'yes'")));
	}

	/** A fresh browser with its own profile in {@code profile}; quit it when done. */
	static ChromeDriver start(Path profile) {
		ChromeOptions options = new ChromeOptions();
		options.setBinary(BROWSER.toFile());
		// As root in a container: no sandbox, no GPU, no /dev/shm; and no calls home.
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
				"--disable-sync", "--user-data-dir=" + profile.toAbsolutePath());
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
			.usingAnyFreePort()
			.build();
		ChromeDriver browser = new ChromeDriver(service, options);
		browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20));
		return browser;
	}

}
