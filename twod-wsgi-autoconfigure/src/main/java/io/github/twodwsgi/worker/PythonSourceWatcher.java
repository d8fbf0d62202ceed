package io.github.twodwsgi.worker;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches directories (and their subdirectories) for changed {@code .py} files, like
 * {@code gunicorn --reload}, and runs a task once the changes have settled for a moment.
 */
public final class PythonSourceWatcher {

	private static final Logger logger = LoggerFactory.getLogger(PythonSourceWatcher.class);

	private static final long SETTLE_MILLIS = 300;

	private final String name;

	private final List<Path> directories;

	private final Runnable onChange;

	private WatchService watchService;

	private Thread thread;

	public PythonSourceWatcher(String name, List<Path> directories, Runnable onChange) {
		this.name = name;
		this.directories = directories;
		this.onChange = onChange;
	}

	public synchronized void start() {
		if (this.thread != null) {
			return;
		}
		try {
			this.watchService = FileSystems.getDefault().newWatchService();
			for (Path directory : this.directories) {
				registerTree(directory);
			}
		}
		catch (IOException ex) {
			logger.warn("Cannot watch the Python code of WSGI app '{}' for changes: {}", this.name, ex.toString());
			return;
		}
		this.thread = new Thread(this::watch, "twod-wsgi-" + this.name + "-reload");
		this.thread.setDaemon(true);
		this.thread.start();
		logger.info("Watching {} for changes to .py files of WSGI app '{}'", this.directories, this.name);
	}

	public synchronized void stop() {
		if (this.thread == null) {
			return;
		}
		try {
			this.watchService.close();
		}
		catch (IOException ex) {
			// Closing is best effort.
		}
		this.thread = null;
	}

	private void watch() {
		try {
			while (true) {
				WatchKey key = this.watchService.take();
				boolean changed = drain(key);
				// Let a burst of saves settle, then reload once.
				WatchKey more;
				while ((more = this.watchService.poll(SETTLE_MILLIS, TimeUnit.MILLISECONDS)) != null) {
					changed |= drain(more);
				}
				if (changed) {
					logger.info("Python code of WSGI app '{}' changed: replacing its workers", this.name);
					this.onChange.run();
				}
			}
		}
		catch (InterruptedException | ClosedWatchServiceException ex) {
			// Stopped.
		}
	}

	private boolean drain(WatchKey key) {
		boolean changed = false;
		Path directory = (Path) key.watchable();
		for (WatchEvent<?> event : key.pollEvents()) {
			if (!(event.context() instanceof Path relative)) {
				continue;
			}
			Path path = directory.resolve(relative);
			if (event.kind() == StandardWatchEventKinds.ENTRY_CREATE && Files.isDirectory(path)) {
				try {
					registerTree(path);
				}
				catch (IOException ex) {
					logger.debug("Cannot watch {}: {}", path, ex.toString());
				}
			}
			changed |= path.toString().endsWith(".py");
		}
		key.reset();
		return changed;
	}

	private void registerTree(Path root) throws IOException {
		Files.walkFileTree(root, new SimpleFileVisitor<>() {
			@Override
			public FileVisitResult preVisitDirectory(Path directory, BasicFileAttributes attributes) throws IOException {
				if (directory.getFileName() != null && directory.getFileName().toString().equals("__pycache__")) {
					return FileVisitResult.SKIP_SUBTREE;
				}
				directory.register(PythonSourceWatcher.this.watchService, StandardWatchEventKinds.ENTRY_CREATE,
						StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
				return FileVisitResult.CONTINUE;
			}
		});
	}

}
