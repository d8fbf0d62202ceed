package io.github.twodwsgi.worker;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.event.Level;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A worker's stderr as SLF4J events: records keep their level and logger, and the relaying thread,
 * which logs show, is named after the process that logged each record (forked workers share their
 * fork server's stderr).
 */
@ExtendWith(OutputCaptureExtension.class)
class PythonOutputRelayTests {

	@Test
	void recordsAreLoggedUnderTheAppsLoggerByAThreadNamedAfterTheProcessThatLoggedThem(CapturedOutput output) {
		String stderr = "\u001e30\u001f4242\u001fdjango.request\u001fslow query\u001dsecond line\n"
				+ "\u001e40\u001f4343\u001froot\u001fboom\n" + "a plain line\n";
		PythonOutputRelay relay = PythonOutputRelay.start(
				new ByteArrayInputStream(stderr.getBytes(StandardCharsets.UTF_8)), "twod.wsgi.relaytest", Level.WARN,
				true, "wsgi-relaytest-%s-err", 4141);
		relay.awaitEnd(5000);
		assertThat(line(output, "slow query")).contains("4242-err]", "WARN", "twod.wsgi.relaytest.django.request");
		assertThat(output).contains("slow query\nsecond line");
		assertThat(line(output, "boom")).contains("4343-err]", "ERROR", "twod.wsgi.relaytest ");
		// A plain line tells no pid: it is put down to the process whose stream this is.
		assertThat(line(output, "a plain line")).contains("4141-err]", "WARN", "twod.wsgi.relaytest ");
		assertThat(relay.tail()).isEqualTo("slow query\nsecond line\nboom\na plain line");
	}

	private static String line(CapturedOutput output, String text) {
		return output.getOut().lines().filter((line) -> line.contains(text)).findFirst().orElseThrow();
	}

}
