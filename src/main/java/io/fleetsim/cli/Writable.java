package io.fleetsim.cli;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * Checks, before anything starts, that fleetsim will be able to write where it was told to (a
 * results folder, a --stats file), so that a bad path is one line at once rather than a failure
 * at the end. Each check tries for real (the file system, not permission bits, decides: a
 * read-only mount, /proc, root's rights) and leaves nothing behind.
 */
final class Writable {
  private Writable() {}

  /** {@code dir} is, or can be made, a folder to create files in; {@code option} labels errors. */
  static void folder(String option, Path dir) {
    Path existing = dir.toAbsolutePath().normalize();
    while (!Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (!Files.isDirectory(existing)) {
      throw new UsageError(option + ": " + existing + " is a file, not a folder");
    }
    try {
      Files.delete(Files.createTempDirectory(existing, ".fleetsim-check-"));
    } catch (IOException e) {
      throw new UsageError(option + ": cannot create a folder in " + existing + " (" + reason(e) + ")");
    }
  }

  /** {@code file} can be written at the end: its folder exists, and it is not a folder itself. */
  static void file(String option, Path file) {
    Path absolute = file.toAbsolutePath().normalize();
    if (Files.isDirectory(absolute)) {
      throw new UsageError(option + ": " + file + " is a folder");
    }
    Path parent = absolute.getParent();
    if (!Files.isDirectory(parent)) {
      throw new UsageError(option + ": " + (Files.exists(parent) ? parent + " is a file, not a folder"
          : "no folder " + parent));
    }
    try {
      if (Files.exists(absolute)) {
        FileChannel.open(absolute, StandardOpenOption.WRITE).close(); // opened, not truncated
      } else {
        Files.delete(Files.createFile(absolute));
      }
    } catch (IOException e) {
      throw new UsageError(option + ": cannot write " + file + " (" + reason(e) + ")");
    }
  }

  /** The operating system's reason, as words ("read-only file system"), not an exception. */
  static String reason(IOException e) {
    String reason;
    if (e instanceof AccessDeniedException) {
      reason = "permission denied";
    } else if (e instanceof NoSuchFileException) {
      reason = "no such file or folder";
    } else if (e instanceof FileSystemException f && f.getReason() != null) {
      reason = f.getReason();
    } else {
      reason = String.valueOf(e.getMessage());
    }
    return reason.isEmpty() ? reason : reason.substring(0, 1).toLowerCase(Locale.ROOT) + reason.substring(1);
  }
}
