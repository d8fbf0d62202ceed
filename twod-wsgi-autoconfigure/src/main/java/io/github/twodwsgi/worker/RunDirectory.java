package io.github.twodwsgi.worker;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.core.io.support.ResourcePatternResolver;

/**
 * The private directory of one application run (mode 0700): the worker sockets and the Python code
 * extracted from the classpath live here, and all of it is removed at shutdown.
 */
public final class RunDirectory implements Closeable {

	/** Where the worker's Python package lives on the classpath. */
	static final String WORKER_PACKAGE_LOCATION = "io/github/twodwsgi/python/";

	/** Longest Unix socket path the kernel takes (sun_path is 108 bytes on Linux, 104 on macOS). */
	private static final int MAX_SOCKET_PATH = 100;

	private final Path root;

	private final Path workerCode;

	private final ResourcePatternResolver resources;

	private final AtomicInteger sockets = new AtomicInteger();

	private final AtomicInteger extractions = new AtomicInteger();

	private static final String PREFIX = "twod-wsgi-";

	private static final String OWNER_FILE = "owner.pid";

	private RunDirectory(Path root, ResourcePatternResolver resources) throws IOException {
		this.root = root;
		this.resources = resources;
		Files.writeString(root.resolve(OWNER_FILE), String.valueOf(ProcessHandle.current().pid()));
		this.workerCode = extract("classpath:" + WORKER_PACKAGE_LOCATION, root.resolve("worker"));
	}

	/** Creates a fresh private directory under {@code java.io.tmpdir}. */
	public static RunDirectory create() {
		return create(new PathMatchingResourcePatternResolver());
	}

	public static RunDirectory create(ResourcePatternResolver resources) {
		try {
			Path root = Files.createTempDirectory(PREFIX,
					PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
			removeAbandoned(root.getParent());
			return new RunDirectory(root, resources);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot create the private run directory for WSGI workers", ex);
		}
	}

	/** Removes the run directories of JVMs that died without cleaning up (killed with SIGKILL, say). */
	private static void removeAbandoned(Path parent) {
		try (var candidates = Files.newDirectoryStream(parent, PREFIX + "*")) {
			for (Path candidate : candidates) {
				Path owner = candidate.resolve(OWNER_FILE);
				if (Files.isRegularFile(owner) && !isAlive(Files.readString(owner).strip())) {
					new RunDirectoryRemover(candidate).run();
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// Best effort: another user's directory, or one being removed right now.
		}
	}

	private static boolean isAlive(String pid) {
		try {
			return ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
		}
		catch (NumberFormatException ex) {
			return true;
		}
	}

	public Path root() {
		return this.root;
	}

	/** The directory to put on PYTHONPATH so that {@code python -m twod_wsgi.worker} runs. */
	public Path workerCode() {
		return this.workerCode;
	}

	/** A new, unused socket path. */
	public Path newSocketPath() {
		Path path = this.root.resolve("w" + this.sockets.incrementAndGet() + ".sock");
		if (path.toString().getBytes(StandardCharsets.UTF_8).length > MAX_SOCKET_PATH) {
			throw new IllegalStateException("The worker socket path " + path + " is longer than Unix sockets allow ("
					+ MAX_SOCKET_PATH + " bytes); point java.io.tmpdir at a shorter directory");
		}
		return path;
	}

	/**
	 * Resolves a {@code python-path} entry. A {@code classpath:} location that is a directory on disk
	 * (as in development) is used in place; one inside a jar is extracted here. Any other entry is a
	 * file system path, taken relative to the working directory.
	 */
	public Path resolvePythonPath(String location) {
		if (!location.startsWith("classpath:")) {
			Path path = Path.of(location).toAbsolutePath().normalize();
			if (!Files.isDirectory(path)) {
				throw new IllegalArgumentException("python-path entry '" + location + "' is not a directory ("
						+ path + ")");
			}
			return path;
		}
		try {
			Resource resource = this.resources.getResource(location);
			if (resource.isFile() && resource.getFile().isDirectory()) {
				return resource.getFile().toPath();
			}
			if (!resource.exists()) {
				throw new IllegalArgumentException("python-path entry '" + location + "' is not on the classpath");
			}
			return extract(location, this.root.resolve("path" + this.extractions.incrementAndGet()));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read python-path entry '" + location + "'", ex);
		}
	}

	private Path extract(String location, Path target) throws IOException {
		String base = location.endsWith("/") ? location : location + "/";
		String rootUrl = this.resources.getResource(base).getURL().toString();
		Files.createDirectories(target);
		for (Resource resource : this.resources.getResources(base.replace("classpath:", "classpath*:") + "**")) {
			String url = resource.getURL().toString();
			if (!url.startsWith(rootUrl) || url.endsWith("/") || !resource.isReadable()) {
				continue;
			}
			Path file = target.resolve(url.substring(rootUrl.length())).normalize();
			if (!file.startsWith(target) || file.toString().contains("__pycache__")) {
				continue;
			}
			Files.createDirectories(file.getParent());
			try (InputStream content = resource.getInputStream()) {
				Files.copy(content, file, StandardCopyOption.REPLACE_EXISTING);
			}
		}
		return target;
	}

	/** Removes the directory and everything in it. */
	@Override
	public void close() {
		new RunDirectoryRemover(this.root).run();
	}

	/** Deletes a directory tree. */
	private record RunDirectoryRemover(Path root) implements Runnable {

		@Override
		public void run() {
			if (!Files.exists(this.root)) {
				return;
			}
			try {
				Files.walkFileTree(this.root, new SimpleFileVisitor<>() {
					@Override
					public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
						Files.deleteIfExists(file);
						return FileVisitResult.CONTINUE;
					}

					@Override
					public FileVisitResult postVisitDirectory(Path dir, IOException ex) throws IOException {
						Files.deleteIfExists(dir);
						return FileVisitResult.CONTINUE;
					}
				});
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot remove the WSGI run directory " + this.root, ex);
			}
		}

	}

}
