package io.fleetsim.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * The example apps of examples/apps, compiled against fleetsim's classes as README tells users to
 * (javac with fleetsim on the classpath), and put on the classpath the way FLEETSIM_CLASSPATH
 * puts them: as the class loader the experiment reader loads app classes from.
 */
public final class ExampleApps {
  private static ClassLoader loader;

  private ExampleApps() {}

  /** Runs {@code body} with the example apps loadable (the thread's context class loader). */
  public static <T> T onClasspath(Callable<T> body) throws Exception {
    Thread t = Thread.currentThread();
    ClassLoader before = t.getContextClassLoader();
    t.setContextClassLoader(loader());
    try {
      return body.call();
    } finally {
      t.setContextClassLoader(before);
    }
  }

  private static synchronized ClassLoader loader() throws IOException {
    if (loader == null) {
      Path out = Files.createTempDirectory("fleetsim-example-apps");
      List<String> args = new ArrayList<>(List.of("-d", out.toString(), "-cp",
          System.getProperty("java.class.path"), "-proc:none", "-Xlint:all", "-Werror"));
      try (Stream<Path> s = Files.walk(Path.of("examples/apps"))) {
        s.filter(p -> p.toString().endsWith(".java")).sorted().forEach(p -> args.add(p.toString()));
      }
      JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
      StringWriter errors = new StringWriter();
      int status = javac.run(null, null, new java.io.PrintStream(new java.io.OutputStream() {
        @Override
        public void write(int b) {
          errors.write(b);
        }
      }), args.toArray(String[]::new));
      if (status != 0) {
        throw new AssertionError("examples/apps does not compile:\n" + errors);
      }
      loader = new URLClassLoader(new URL[] {out.toUri().toURL()}, ExampleApps.class.getClassLoader());
    }
    return loader;
  }
}
