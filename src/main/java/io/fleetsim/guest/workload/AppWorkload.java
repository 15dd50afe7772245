package io.fleetsim.guest.workload;

import io.fleetsim.guest.socket.App;
import io.fleetsim.guest.socket.Sockets;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code app CLASS [key=value ...]}: a user's {@link App}, loaded from the classpath when the
 * spec is parsed (so a missing class or a bad argument is an error of the experiment file, not of
 * the run). Each start makes a fresh instance. Finite when the app says so. Default criterion
 * ({@link Criteria}): the app reports success.
 *
 * @param args the {@code key=value} words in the order written
 */
public record AppWorkload(Class<? extends App> type, Map<String, String> args, boolean finite)
    implements Workload {
  public static final String KIND = "app";
  public static final String USAGE = "app CLASS [key=value ...]";
  private static final Pattern CLASS_NAME =
      Pattern.compile("\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*"
          + "(\\.\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*)*(\\$[\\p{javaJavaIdentifierPart}]+)*");
  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_.-]+");

  public AppWorkload {
    args = Collections.unmodifiableMap(new LinkedHashMap<>(args));
  }

  /** The words after {@code app}: the class, then its arguments. */
  static AppWorkload parse(List<String> words) {
    if (words.isEmpty()) {
      throw error("missing CLASS");
    }
    String name = words.get(0);
    Map<String, String> args = new LinkedHashMap<>();
    for (String w : words.subList(1, words.size())) {
      int eq = w.indexOf('=');
      if (eq < 0) {
        throw error("unexpected '" + w + "' (an app's arguments are key=value words)");
      }
      String key = w.substring(0, eq);
      if (!KEY.matcher(key).matches()) {
        throw error("'" + w + "' has no key before '=' (letters, digits, _ . -)");
      }
      if (args.put(key, w.substring(eq + 1)) != null) {
        throw error("argument '" + key + "' given twice");
      }
    }
    Class<? extends App> type = load(name);
    App probe = instantiate(type);
    try {
      probe.configure(Collections.unmodifiableMap(new LinkedHashMap<>(args)));
      return new AppWorkload(type, args, probe.finite());
    } catch (IllegalArgumentException e) {
      throw error(name + " rejected its arguments: " + message(e)
          + (args.isEmpty() ? " (none given)" : " (given: " + words(args) + ")"));
    } catch (RuntimeException | LinkageError e) {
      throw error(name + " failed while reading its arguments: " + e);
    }
  }

  /** A new instance, configured with this spec's arguments (which it accepted once already). */
  App newApp() {
    App app = instantiate(type);
    app.configure(args);
    return app;
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public String describe() {
    return args.isEmpty() ? KIND + " " + type.getName() : KIND + " " + type.getName() + " " + words(args);
  }

  @Override
  public WorkloadRun start(Sockets stack) {
    return new AppRun(this, stack);
  }

  private static Class<? extends App> load(String name) {
    if (!CLASS_NAME.matcher(name).matches()) {
      throw error("CLASS '" + name + "' is not a Java class name (like com.example.Gossip)");
    }
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    Class<?> c;
    try {
      c = Class.forName(name, false, loader != null ? loader : AppWorkload.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw error("class " + name + " is not on the classpath (add its directory or jar to "
          + "FLEETSIM_CLASSPATH; see README, Writing a workload)");
    } catch (LinkageError e) {
      throw error("class " + name + " could not be loaded: " + e);
    }
    if (!App.class.isAssignableFrom(c)) {
      throw error(name + " does not implement " + App.class.getName());
    }
    if (c.isInterface() || Modifier.isAbstract(c.getModifiers())) {
      throw error(name + " is abstract: name a concrete class");
    }
    return c.asSubclass(App.class);
  }

  private static App instantiate(Class<? extends App> type) {
    Constructor<? extends App> constructor;
    try {
      constructor = type.getConstructor();
    } catch (NoSuchMethodException e) {
      throw error(type.getName() + " has no public constructor without arguments");
    }
    if (!Modifier.isPublic(type.getModifiers())) {
      throw error(type.getName() + " is not a public class");
    }
    try {
      return constructor.newInstance();
    } catch (InvocationTargetException e) {
      throw error(type.getName() + "'s constructor threw " + e.getCause());
    } catch (ReflectiveOperationException | LinkageError e) {
      throw error(type.getName() + " could not be made: " + e);
    }
  }

  private static String words(Map<String, String> args) {
    StringBuilder s = new StringBuilder();
    args.forEach((k, v) -> s.append(s.length() == 0 ? "" : " ").append(k).append('=').append(v));
    return s.toString();
  }

  private static String message(Throwable e) {
    return e.getMessage() == null || e.getMessage().isBlank() ? e.toString() : e.getMessage();
  }

  private static WorkloadSyntaxException error(String what) {
    return new WorkloadSyntaxException(KIND + ": " + what + " (usage: " + USAGE + ")");
  }
}
