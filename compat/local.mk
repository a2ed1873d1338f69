# compat: the operating system where POSIX and Windows differ (see os.h).
# configure's OS_WIN32 picks the *_win32.c or the *_posix.c of each part.
noinst_LTLIBRARIES += compat/libcompat.la
compat_libcompat_la_SOURCES = compat/os.h
if OS_WIN32
compat_libcompat_la_SOURCES += \
	compat/clock_win32.c \
	compat/fs_win32.c \
	compat/memstream_win32.c \
	compat/proc_win32.c \
	compat/thread_win32.c
else
compat_libcompat_la_SOURCES += \
	compat/clock_posix.c \
	compat/fs_posix.c \
	compat/memstream_posix.c \
	compat/proc_posix.c \
	compat/thread_posix.c
endif
if NEED_STRNDUP
compat_libcompat_la_SOURCES += compat/strndup.c
endif
compat_libcompat_la_LIBADD = $(OS_LIBS)
# Both implementations are in the tarball, whichever this build uses.
EXTRA_DIST += compat/README.md \
	compat/clock_posix.c compat/fs_posix.c compat/memstream_posix.c \
	compat/proc_posix.c compat/thread_posix.c \
	compat/clock_win32.c compat/fs_win32.c compat/memstream_win32.c \
	compat/proc_win32.c compat/thread_win32.c compat/strndup.c

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_compat
TESTS += tests/unit/test_compat
tests_unit_test_compat_SOURCES = tests/unit/test_compat.c
tests_unit_test_compat_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_compat_LDADD = compat/libcompat.la $(CMOCKA_LIBS)
endif
