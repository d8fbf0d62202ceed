package io.github.twodwsgi.worker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The bounded buffer between a worker and a slow client: order kept across memory and file, the
 * producer held only when both are full, failures after the data, and the file removed.
 */
class ResponseSpoolTests {

	@TempDir
	Path directory;

	@Test
	void chunksLeaveInOrderThroughMemoryAndFile() throws Exception {
		ResponseSpool spool = new ResponseSpool(1000, 1 << 20, this.directory);
		ByteArrayOutputStream expected = new ByteArrayOutputStream();
		Random random = new Random(1);
		for (int i = 0; i < 50; i++) {
			byte[] chunk = new byte[1 + random.nextInt(300)];
			random.nextBytes(chunk);
			expected.writeBytes(chunk);
			spool.put(chunk);
		}
		spool.finish();
		assertThat(filesIn(this.directory)).as("a temporary file took the overflow").isEqualTo(1);
		assertThat(drain(spool)).isEqualTo(expected.toByteArray());
		spool.close();
		assertThat(filesIn(this.directory)).isZero();
	}

	@Test
	void takingWhileSpillingKeepsTheOrder() throws Exception {
		ResponseSpool spool = new ResponseSpool(100, 1 << 20, this.directory);
		ByteArrayOutputStream expected = new ByteArrayOutputStream();
		ByteArrayOutputStream taken = new ByteArrayOutputStream();
		for (int i = 0; i < 200; i++) {
			byte[] chunk = ("chunk " + i + ";").getBytes();
			expected.writeBytes(chunk);
			spool.put(chunk);
			if (i % 3 == 0) {
				taken.writeBytes(spool.take());
			}
		}
		spool.finish();
		taken.writeBytes(drain(spool));
		assertThat(taken.toString()).isEqualTo(expected.toString());
		spool.close();
	}

	@Test
	void aFullSpoolHoldsTheProducerUntilTheClientTakes() throws Exception {
		ResponseSpool spool = new ResponseSpool(10, 10, this.directory);
		spool.put(new byte[10]);
		spool.put(new byte[10]);
		CompletableFuture<Void> third = CompletableFuture.runAsync(() -> {
			try {
				spool.put(new byte[10]);
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
		});
		Thread.sleep(200);
		assertThat(third).isNotDone();
		assertThat(spool.take()).hasSize(10);
		// Room in memory is not enough: while older bytes wait in the file, newer ones go after them.
		Thread.sleep(100);
		assertThat(third).isNotDone();
		assertThat(spool.take()).hasSize(10);
		third.get(5, TimeUnit.SECONDS);
		spool.close();
	}

	@Test
	void anAbandonedSpoolReleasesItsProducer() throws Exception {
		ResponseSpool spool = new ResponseSpool(10, 0, this.directory);
		spool.put(new byte[10]);
		CompletableFuture<Void> blocked = CompletableFuture.runAsync(() -> {
			try {
				spool.put(new byte[10]);
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
		});
		Thread.sleep(100);
		spool.abandon();
		assertThatThrownBy(() -> blocked.get(5, TimeUnit.SECONDS))
			.hasCauseInstanceOf(IllegalStateException.class)
			.hasRootCauseInstanceOf(ResponseSpool.ClientGoneIOException.class);
	}

	@Test
	void aChunkLargerThanBothLimitsStillPassesAnEmptySpool() throws Exception {
		ResponseSpool spool = new ResponseSpool(10, 10, this.directory);
		spool.put(new byte[1000]);
		spool.finish();
		assertThat(drain(spool)).hasSize(1000);
		spool.close();
	}

	@Test
	void aFailureComesAfterEveryChunkBeforeIt() throws Exception {
		ResponseSpool spool = new ResponseSpool(1000, 0, this.directory);
		spool.put("first".getBytes());
		spool.fail(new IOException("the app failed"));
		assertThat(spool.take()).isEqualTo("first".getBytes());
		assertThatThrownBy(spool::take).hasMessage("the app failed");
	}

	private static byte[] drain(ResponseSpool spool) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		byte[] chunk;
		while ((chunk = spool.take()) != null) {
			out.writeBytes(chunk);
		}
		return out.toByteArray();
	}

	private static long filesIn(Path directory) throws IOException {
		try (Stream<Path> files = Files.list(directory)) {
			return files.count();
		}
	}

}
