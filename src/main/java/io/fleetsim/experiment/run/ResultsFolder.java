package io.fleetsim.experiment.run;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A run's own folder, BASE/NAME-TIMESTAMP (or -2, -3, ... when that exists): always a new one,
 * so that {@link #remove()} can take it away again, with any parent folder it had to make, when
 * the run does not start (a failed start leaves no folder behind).
 */
final class ResultsFolder {
  private final Path path;
  private final List<Path> made; // outermost first

  private ResultsFolder(Path path, List<Path> made) {
    this.path = path;
    this.made = made;
  }

  static ResultsFolder create(Path base, String stem) throws RunException {
    List<Path> made = new ArrayList<>();
    try {
      List<Path> missing = new ArrayList<>();
      for (Path p = base.toAbsolutePath(); p != null && !Files.exists(p); p = p.getParent()) {
        missing.add(0, p);
      }
      for (Path p : missing) {
        try {
          Files.createDirectory(p);
          made.add(p);
        } catch (FileAlreadyExistsException e) {
          if (!Files.isDirectory(p)) {
            throw e;
          }
        }
      }
      Path folder = base.resolve(stem);
      for (int i = 2; ; i++) {
        try {
          Files.createDirectory(folder);
          break;
        } catch (FileAlreadyExistsException e) {
          folder = base.resolve(stem + "-" + i);
        }
      }
      made.add(folder);
      return new ResultsFolder(folder, made);
    } catch (IOException e) {
      new ResultsFolder(null, made).remove();
      throw new RunException("cannot create a results folder in " + base + " (" + reason(e) + ")");
    }
  }

  /** The system's words ("Read-only file system"), without the exception's. */
  private static String reason(IOException e) {
    return e instanceof FileSystemException f && f.getReason() != null ? f.getReason()
        : e instanceof AccessDeniedException ? "permission denied"
        : e instanceof NoSuchFileException ? "no such file or folder" : String.valueOf(e.getMessage());
  }

  Path path() {
    return path;
  }

  /** Deletes the run's folder and what is in it (all of it this run's), then the parents it made. */
  void remove() {
    for (int i = made.size() - 1; i >= 0; i--) {
      Path dir = made.get(i);
      try (Stream<Path> tree = Files.walk(dir)) {
        if (dir.equals(path)) {
          for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
            Files.deleteIfExists(p);
          }
        } else {
          Files.deleteIfExists(dir); // a parent: only if it is still empty
        }
      } catch (IOException e) {
        return; // not empty, or gone: leave the rest
      }
    }
  }
}
