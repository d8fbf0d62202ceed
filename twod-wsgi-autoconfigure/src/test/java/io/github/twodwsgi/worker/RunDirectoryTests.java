package io.github.twodwsgi.worker;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RunDirectoryTests {

	@Test
	void holdsTheWorkerPackage() {
		try (RunDirectory directory = RunDirectory.create()) {
			assertThat(directory.workerCode().resolve("twod_wsgi/worker.py")).isRegularFile();
			assertThat(directory.newSocketPath()).isNotEqualTo(directory.newSocketPath());
		}
	}

	@Test
	void pythonPathInsideAJarIsExtracted(@TempDir Path temp) throws IOException {
		Path jar = temp.resolve("app.jar");
		try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
			out.putNextEntry(new JarEntry("python/"));
			out.putNextEntry(new JarEntry("python/shop/"));
			out.putNextEntry(new JarEntry("python/shop/__init__.py"));
			out.write("app = None\n".getBytes(StandardCharsets.UTF_8));
			out.putNextEntry(new JarEntry("python/shop/__pycache__/"));
			out.putNextEntry(new JarEntry("python/shop/__pycache__/x.pyc"));
			out.write(1);
		}
		try (URLClassLoader loader = new URLClassLoader(new URL[] { jar.toUri().toURL() }, getClass().getClassLoader());
				RunDirectory directory = RunDirectory.create(new PathMatchingResourcePatternResolver(loader))) {
			Path extracted = directory.resolvePythonPath("classpath:python");
			assertThat(extracted).startsWith(directory.root());
			assertThat(extracted.resolve("shop/__init__.py")).hasContent("app = None");
			assertThat(extracted.resolve("shop/__pycache__")).doesNotExist();
		}
	}

	@Test
	void pythonPathOnDiskIsUsedInPlace() {
		try (RunDirectory directory = RunDirectory.create()) {
			assertThat(directory.resolvePythonPath("src/test/python")).isEqualTo(Path.of("src/test/python").toAbsolutePath());
			assertThatIllegalArgumentException().isThrownBy(() -> directory.resolvePythonPath("no/such/dir"))
				.withMessageContaining("python-path entry 'no/such/dir' is not a directory");
			assertThatIllegalArgumentException().isThrownBy(() -> directory.resolvePythonPath("classpath:no/such/dir"))
				.withMessageContaining("python-path entry 'classpath:no/such/dir' is not on the classpath");
		}
	}

	@Test
	void directoriesOfDeadJvmsAreRemoved() throws Exception {
		Process finished = new ProcessBuilder("true").start();
		finished.waitFor();
		Path abandoned = Files.createTempDirectory("twod-wsgi-");
		Files.writeString(abandoned.resolve("owner.pid"), String.valueOf(finished.pid()));
		Files.writeString(abandoned.resolve("w1.sock"), "");
		Path ours = Files.createTempDirectory("twod-wsgi-");
		Files.writeString(ours.resolve("owner.pid"), String.valueOf(ProcessHandle.current().pid()));
		try (RunDirectory directory = RunDirectory.create()) {
			assertThat(abandoned).doesNotExist();
			assertThat(ours).exists();
		}
		finally {
			Files.delete(ours.resolve("owner.pid"));
			Files.delete(ours);
		}
	}

}
