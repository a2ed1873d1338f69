/*
 * fs_posix.c - os.h files on POSIX.
 */
#include "config.h"

#include <errno.h>
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "os.h"

int os_mkdir_private(const char *path)
{
	return mkdir(path, 0700);
}

char *os_mkdtemp(char *template_)
{
	return mkdtemp(template_);
}

int os_replace(const char *from, const char *to)
{
	return rename(from, to);
}

int os_link(const char *from, const char *to)
{
	return link(from, to);
}

int os_fsync(int fd)
{
	return fsync(fd);
}

void os_sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

int os_fchmod(int fd, unsigned mode)
{
	return fchmod(fd, (mode_t)mode);
}

char *os_realpath(const char *path)
{
	return realpath(path, NULL);
}

char *os_path_to_utf8(const char *path)
{
	/* POSIX file names are bytes: SQLite passes them through as they
	 * are. */
	return strdup(path);
}

bool os_path_is_absolute(const char *path)
{
	return path != NULL && path[0] == '/';
}

static int remove_entry(const char *path, const struct stat *st, int flag,
                        struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		return rmdir(path) == 0 ? 0 : -1;
	return unlink(path) == 0 ? 0 : -1;
}

int os_rmtree(const char *path)
{
	struct stat st;

	if (lstat(path, &st) != 0 && errno == ENOENT)
		return 0;
	return nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS) == 0 ? 0 : -1;
}
