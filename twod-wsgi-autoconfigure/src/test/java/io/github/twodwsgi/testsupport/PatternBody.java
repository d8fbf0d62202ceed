package io.github.twodwsgi.testsupport;

import java.io.IOException;
import java.io.InputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks a body made of the repeating pattern 0, 1, ..., 255 that the test apps' {@code /download}
 * produces, reading it through a small buffer so that the test itself never holds it whole.
 */
public final class PatternBody {

	private PatternBody() {
	}

	/** Reads the body to its end and asserts that it is {@code size} bytes of the pattern. */
	public static void assertPattern(InputStream body, long size) throws IOException {
		long received = 0;
		long wrongAt = -1;
		try (body) {
			byte[] buffer = new byte[65536];
			int count;
			while ((count = body.read(buffer)) > 0) {
				for (int i = 0; i < count && wrongAt < 0; i++) {
					if ((buffer[i] & 0xFF) != (received + i) % 256) {
						wrongAt = received + i;
					}
				}
				received += count;
			}
		}
		assertThat(wrongAt).as("offset of the first byte off the pattern").isEqualTo(-1);
		assertThat(received).isEqualTo(size);
	}

}
