package io.github.twodwsgi.gateway;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Request bodies read whole: memory first, then a file, never past the limit, the file gone on close
 * and on failure.
 */
class BufferedBodyTests {

	@TempDir
	Path directory;

	@ParameterizedTest
	@ValueSource(ints = { 0, 1, 100, 16 * 1024, 64 * 1024, 64 * 1024 + 1, 3 * 1024 * 1024 + 7 })
	void everyByteComesBackAsOftenAsItIsRead(int size) throws Exception {
		byte[] content = new byte[size];
		new Random(size).nextBytes(content);
		try (BufferedBody body = BufferedBody.read(new ByteArrayInputStream(content), -1, 64 * 1024, this.directory)) {
			assertThat(body.length()).isEqualTo(size);
			assertThat(body.isOnDisk()).isEqualTo(size > 64 * 1024);
			assertThat(body.open().readAllBytes()).isEqualTo(content);
			try (InputStream again = body.open()) {
				assertThat(again.readAllBytes()).isEqualTo(content);
			}
		}
		assertThat(filesIn(this.directory)).isZero();
	}

	@Test
	void aBodyPastTheLimitIsRefusedAndLeavesNoFile() {
		InputStream endless = new InputStream() {
			@Override
			public int read() {
				return 'x';
			}
		};
		assertThatThrownBy(() -> BufferedBody.read(endless, 1_000_000, 1024, this.directory))
			.isInstanceOf(BufferedBody.BodyTooLargeException.class)
			.hasMessageContaining("1000000 bytes");
		assertThat(filesIn(this.directory)).isZero();
	}

	@Test
	void aClientFailureMidBodyLeavesNoFile() {
		InputStream failing = new InputStream() {
			private int sent;

			@Override
			public int read() throws IOException {
				if (this.sent++ > 200_000) {
					throw new IOException("the client went away");
				}
				return 'y';
			}
		};
		assertThatThrownBy(() -> BufferedBody.read(failing, -1, 1024, this.directory))
			.hasMessage("the client went away");
		assertThat(filesIn(this.directory)).isZero();
	}

	private static long filesIn(Path directory) {
		try (Stream<Path> files = Files.list(directory)) {
			return files.count();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
