package io.github.twodwsgi;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The body bytes of an app's response written to the container so far, for the access log (nginx's
 * {@code $body_bytes_sent}, counted before any compression): kept outside the response so that a
 * response cut short still tells how much of it was written before the failure. Used by the
 * request's own thread only.
 */
final class BodyBytes {

	private long count = -1;

	/** Bytes written through {@link #counting}, or -1 if no body of the app's was started. */
	long count() {
		return this.count;
	}

	/** The stream to write the app's body to: {@code target}, counted. */
	OutputStream counting(OutputStream target) {
		this.count = 0;
		return new FilterOutputStream(target) {

			@Override
			public void write(int b) throws IOException {
				this.out.write(b);
				BodyBytes.this.count++;
			}

			@Override
			public void write(byte[] bytes, int offset, int length) throws IOException {
				this.out.write(bytes, offset, length);
				BodyBytes.this.count += length;
			}

		};
	}

}
