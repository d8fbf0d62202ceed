package io.github.twodwsgi.demo;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.condition.EnabledIf;

/**
 * Skips a browser test class, reporting why, where Debian's chromium or chromedriver is missing;
 * the check comes before the Spring context starts.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@EnabledIf(value = "io.github.twodwsgi.demo.HeadlessChromium#isInstalled", disabledReason = "needs "
		+ "/usr/bin/chromium and /usr/bin/chromedriver: apt-get install -y chromium chromium-driver")
@interface RequiresChromium {

}
