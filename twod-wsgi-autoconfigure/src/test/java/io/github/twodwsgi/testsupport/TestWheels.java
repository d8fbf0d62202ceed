package io.github.twodwsgi.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A wheel directory made at test time, for pip to install from with {@code --no-index --find-links}:
 * no package index, no network, no build backend (a pure-Python wheel is a zip with its metadata,
 * written here as {@code pip wheel} would).
 */
public final class TestWheels {

	private TestWheels() {
	}

	/**
	 * Writes the wheel of a package {@code name} (an importable module name, e.g. {@code twod_tiny}) at
	 * {@code version} whose {@code __init__.py} is {@code source}; its distribution name has dashes.
	 */
	public static Path write(Path directory, String name, String version, String source) throws IOException {
		Files.createDirectories(directory);
		String distInfo = name + "-" + version + ".dist-info";
		Map<String, byte[]> files = new LinkedHashMap<>();
		files.put(name + "/__init__.py", source.getBytes(StandardCharsets.UTF_8));
		files.put(distInfo + "/METADATA", ("Metadata-Version: 2.1\nName: " + name.replace('_', '-') + "\nVersion: "
				+ version + "\n").getBytes(StandardCharsets.UTF_8));
		files.put(distInfo + "/WHEEL", "Wheel-Version: 1.0\nGenerator: twod-wsgi-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
			.getBytes(StandardCharsets.UTF_8));
		StringBuilder record = new StringBuilder();
		files.forEach((path, data) -> record.append(path)
			.append(",sha256=")
			.append(Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(data)))
			.append(',')
			.append(data.length)
			.append('\n'));
		record.append(distInfo).append("/RECORD,,\n");
		files.put(distInfo + "/RECORD", record.toString().getBytes(StandardCharsets.UTF_8));
		Path wheel = directory.resolve(name + "-" + version + "-py3-none-any.whl");
		try (OutputStream out = Files.newOutputStream(wheel); ZipOutputStream zip = new ZipOutputStream(out)) {
			for (Map.Entry<String, byte[]> file : files.entrySet()) {
				zip.putNextEntry(new ZipEntry(file.getKey()));
				zip.write(file.getValue());
				zip.closeEntry();
			}
		}
		return wheel;
	}

	private static byte[] sha256(byte[] data) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(data);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
