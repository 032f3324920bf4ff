// noterun builds on Linux only: `watch` reads inotify, kernels are spawned through Glibc's
// posix_spawn with process groups, and tests read /proc. Saying so here beats a page of
// missing-symbol errors on another system.
#if !os(Linux)
  #error("noterun builds on Linux only (inotify, Glibc)")
#endif
