package io.github.twodwsgi.testsupport;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * A {@code multipart/form-data} body, as browsers and {@code curl -F} send it: files and text fields.
 */
public final class Multipart {

	private final String boundary = "----twodWsgiBoundary" + Long.toHexString(new Random().nextLong());

	private final ByteArrayOutputStream body = new ByteArrayOutputStream();

	private final List<FilePart> files = new ArrayList<>();

	/** A file part, with the sha256 of its content. */
	public record FilePart(String field, String filename, int size, String sha256) {
	}

	/** Adds a file of {@code size} random bytes. */
	public Multipart file(String field, String filename, int size, long seed) {
		byte[] content = new byte[size];
		new Random(seed).nextBytes(content);
		return file(field, filename, content);
	}

	public Multipart file(String field, String filename, byte[] content) {
		header("Content-Disposition: form-data; name=\"" + field + "\"; filename=\"" + filename + "\"\r\n"
				+ "Content-Type: application/octet-stream\r\n");
		this.body.writeBytes(content);
		this.body.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
		this.files.add(new FilePart(field, filename, content.length, sha256(content)));
		return this;
	}

	public Multipart field(String name, String value) {
		header("Content-Disposition: form-data; name=\"" + name + "\"\r\n");
		this.body.writeBytes((value + "\r\n").getBytes(StandardCharsets.UTF_8));
		return this;
	}

	private void header(String headers) {
		this.body.writeBytes(("--" + this.boundary + "\r\n" + headers + "\r\n").getBytes(StandardCharsets.UTF_8));
	}

	public String contentType() {
		return "multipart/form-data; boundary=" + this.boundary;
	}

	/** The body, closed with the final boundary. */
	public byte[] toByteArray() {
		ByteArrayOutputStream whole = new ByteArrayOutputStream(this.body.size() + 64);
		whole.writeBytes(this.body.toByteArray());
		whole.writeBytes(("--" + this.boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
		return whole.toByteArray();
	}

	public List<FilePart> files() {
		return this.files;
	}

	public static String sha256(byte[] content) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
