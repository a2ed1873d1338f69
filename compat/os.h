/*
 * os.h - what the host, the plugin and the tests need of the operating
 * system where POSIX and Windows differ: threads, clocks, files, processes,
 * the terminal and in-memory streams.
 *
 * configure picks one implementation of each part (the *_posix.c or the
 * *_win32.c files of this folder) by a feature check of the platform's own
 * API, and defines OS_WIN32 when it is Win32. This header is the only place
 * outside those files that looks at OS_WIN32: the types below must be
 * complete for callers to embed them.
 *
 * Every function that can fail returns 0 on success and -1 with errno set
 * otherwise, as POSIX functions do, so callers report failures with
 * strerror(errno) on every platform.
 */
#ifndef XDR_COMPAT_OS_H
#define XDR_COMPAT_OS_H

#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#if OS_WIN32
#include <windows.h>
#else
#include <pthread.h>
#endif

/* ---- threads (thread_*.c) ----------------------------------------------- */

#if OS_WIN32
/* The characters that end a directory's name in a path. */
#define OS_DIR_SEPARATORS "/\\"
#else
#define OS_DIR_SEPARATORS "/"
#endif

#if OS_WIN32
typedef SRWLOCK os_mutex;
#define OS_MUTEX_INIT SRWLOCK_INIT
typedef CONDITION_VARIABLE os_cond;
typedef HANDLE os_thread;
#else
typedef pthread_mutex_t os_mutex;
#define OS_MUTEX_INIT PTHREAD_MUTEX_INITIALIZER
typedef pthread_cond_t os_cond;
typedef pthread_t os_thread;
#endif

/* A plain (not recursive) mutex. Static ones may use OS_MUTEX_INIT. */
int os_mutex_init(os_mutex *m);
void os_mutex_destroy(os_mutex *m);
void os_mutex_lock(os_mutex *m);
void os_mutex_unlock(os_mutex *m);

/* A condition variable whose timed waits use the monotonic clock. */
int os_cond_init(os_cond *c);
void os_cond_destroy(os_cond *c);
void os_cond_signal(os_cond *c);
void os_cond_broadcast(os_cond *c);
void os_cond_wait(os_cond *c, os_mutex *m);
/* Wait until signalled or until os_monotonic_ms() reaches DEADLINE_MS;
 * returns false when the deadline passed. Spurious wake-ups return true. */
bool os_cond_wait_until(os_cond *c, os_mutex *m, uint64_t deadline_ms);

/* Start FN(ARG) on a new thread, with every signal blocked on it where
 * signals exist (the host's main thread is the one that takes them). */
int os_thread_start(os_thread *t, void *(*fn)(void *), void *arg);
/* Wait for T to end, and release it. */
void os_thread_join(os_thread t);

/* ---- time (clock_*.c) ---------------------------------------------------- */

/* Milliseconds of a clock that never goes back; its origin is arbitrary. */
uint64_t os_monotonic_ms(void);
/* Sleep MS milliseconds (all of them, even if interrupted). */
void os_sleep_ms(uint64_t ms);
/* gmtime_r(): T in UTC; NULL if it cannot be represented. */
struct tm *os_gmtime(time_t t, struct tm *out);

/* ---- files (fs_*.c) ------------------------------------------------------ */

/* open() flags that do not exist everywhere. */
#ifndef O_CLOEXEC
#define O_CLOEXEC 0
#endif
#ifndef O_NOFOLLOW
#define O_NOFOLLOW 0
#endif
/* Windows opens files in text mode unless told otherwise. */
#ifndef O_BINARY
#define O_BINARY 0
#endif

/* Create directory PATH readable by its owner only (0700; on Windows an
 * access list of the owner, SYSTEM and Administrators). EEXIST as mkdir. */
int os_mkdir_private(const char *path);
/* Create a new directory from TEMPLATE, which ends in XXXXXX (mkdtemp). */
char *os_mkdtemp(char *template_);
/* Rename FROM over TO, replacing TO atomically if it exists. */
int os_replace(const char *from, const char *to);
/* A second name TO for the existing file FROM (a hard link). */
int os_link(const char *from, const char *to);
/* Flush FD's data to the disk. */
int os_fsync(int fd);
/* Make the entries of directory DIR durable where the platform can (a
 * no-op where directory entries are durable on their own). */
void os_sync_dir(const char *dir);
/* Set FD's permission bits to MODE where files have them (POSIX). */
int os_fchmod(int fd, unsigned mode);
/* An absolute, canonical PATH (realpath); malloc'd; NULL with errno. */
char *os_realpath(const char *path);
/* Is PATH absolute (/x, or C:\x and \\server\x on Windows)? */
bool os_path_is_absolute(const char *path);
/* PATH as SQLite takes file names: UTF-8 (on Windows the C library's
 * paths are in the system's code page); malloc'd, NULL with errno. */
char *os_path_to_utf8(const char *path);
/* Remove PATH and everything under it; success if it does not exist. */
int os_rmtree(const char *path);

/* ---- processes and the terminal (proc_*.c) ------------------------------ */

long os_pid(void);
/* Is PID known to be gone (not merely inaccessible)? */
bool os_process_gone(long pid);
/* This machine's name, cut to SIZE - 1 bytes; 0 or -1. */
int os_hostname(char *out, size_t size);
/* Is standard error a terminal, and how many columns has it (0 if unknown)? */
bool os_stderr_is_terminal(void);
size_t os_stderr_columns(void);
/* Standard input, output and error pass bytes as they are (no CRLF
 * translation). */
void os_binary_stdio(void);

/* ---- in-memory streams (memstream_*.c) ---------------------------------- */

/* A FILE to fprintf into whose text is then taken whole (open_memstream). */
struct os_memstream {
	FILE *f;
	char *text;
	size_t size;
};

/* Open S->f; 0 or -1. */
int os_memstream_open(struct os_memstream *s);
/* Close S->f and return its text (malloc'd, NUL-terminated; its length in
 * *SIZE); NULL with errno if writing failed. */
char *os_memstream_close(struct os_memstream *s, size_t *size);

/* ---- strings ------------------------------------------------------------- */

#if !HAVE_STRNDUP
char *strndup(const char *s, size_t n);
#endif

#endif
