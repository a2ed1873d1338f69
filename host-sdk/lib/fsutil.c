/*
 * fsutil.c - the few file system operations the host needs.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compat/os.h"
#include "xdrhost.h"

static bool is_directory(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/*
 * The length of PATH's part that is never created: its first character
 * ("/", or the first of a name), or a Windows share's "\\server\share\".
 */
static size_t root_length(const char *path)
{
	size_t n = 2, seps = 0;

	if (strchr(OS_DIR_SEPARATORS, '\\') == NULL || path[0] != '\\' ||
	    path[1] != '\\')
		return 1;
	for (; path[n] != '\0'; n++) {
		if (strchr(OS_DIR_SEPARATORS, path[n]) != NULL && ++seps == 2)
			return n + 1;
	}
	return n;
}

int xdr_mkdir_p(const char *path, struct xdr_err *err)
{
	int rc = XDR_OK;
	char *copy;

	/* The walk below starts after the first character. */
	if (path == NULL || path[0] == '\0')
		return xdr_errf(err, XDR_EINVAL, "no directory to create");
	copy = strdup(path);
	if (copy == NULL)
		return xdr_errf(err, XDR_ENOMEM, "out of memory");
	/* Create each prefix in turn; existing ones are left as they are
	 * (a drive, "C:", cannot be created but is there). */
	for (char *p = copy + root_length(copy);; p++) {
		bool end = *p == '\0';
		char sep = *p;

		if (!end && strchr(OS_DIR_SEPARATORS, sep) == NULL)
			continue;
		*p = '\0';
		if (os_mkdir_private(copy) != 0) {
			int e = errno;

			if (e != EEXIST && !is_directory(copy)) {
				rc = xdr_errf(
				        err, XDR_ERROR,
				        "cannot create directory '%s': %s",
				        copy, strerror(e));
				break;
			}
		}
		if (end)
			break;
		*p = sep;
	}
	if (rc == XDR_OK && !is_directory(path))
		rc = xdr_errf(err, XDR_ERROR, "'%s' is not a directory", path);
	free(copy);
	return rc;
}

int xdr_rmtree(const char *path, struct xdr_err *err)
{
	if (os_rmtree(path) != 0)
		return xdr_errf(err, XDR_ERROR, "cannot remove '%s': %s", path,
		                strerror(errno));
	return XDR_OK;
}

int xdr_read_fd(int fd, const char *what, size_t max, char **out, size_t *len,
                struct xdr_err *err)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);

	if (buf == NULL)
		return xdr_errf(err, XDR_ENOMEM, "out of memory");
	for (;;) {
		ssize_t r;

		if (n + 1 == cap) {
			char *bigger;

			if (cap > max + 1) {
				free(buf);
				return xdr_errf(err, XDR_ERANGE,
				                "%s is larger than %zu bytes",
				                what, max);
			}
			bigger = realloc(buf, cap * 2);
			if (bigger == NULL) {
				free(buf);
				return xdr_errf(err, XDR_ENOMEM,
				                "out of memory");
			}
			buf = bigger;
			cap *= 2;
		}
		r = read(fd, buf + n, cap - n - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;

			free(buf);
			return xdr_errf(err, XDR_ERROR, "cannot read %s: %s",
			                what, strerror(e));
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (n > max) {
			free(buf);
			return xdr_errf(err, XDR_ERANGE,
			                "%s is larger than %zu bytes", what,
			                max);
		}
	}
	buf[n] = '\0';
	*out = buf;
	if (len != NULL)
		*len = n;
	return XDR_OK;
}

int xdr_read_file(const char *path, size_t max, char **out, size_t *len,
                  struct xdr_err *err)
{
	char what[XDR_ERR_MAX / 2];
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_BINARY);
	int rc;

	if (fd < 0)
		return xdr_errf(err,
		                errno == ENOENT ? XDR_ENOTFOUND : XDR_ERROR,
		                "cannot open '%s': %s", path, strerror(errno));
	snprintf(what, sizeof(what), "'%s'", path);
	rc = xdr_read_fd(fd, what, max, out, len, err);
	close(fd);
	return rc;
}

char *xdr_path_join(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	char *s = malloc(la + lb + 2);

	if (s == NULL)
		return NULL;
	memcpy(s, a, la);
	s[la] = '/';
	memcpy(s + la + 1, b, lb + 1);
	return s;
}

int xdr_write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0) {
			errno = EIO;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Make a new directory entry durable. */
static void sync_parent(const char *path)
{
	char *dir = strdup(path);
	size_t n;

	if (dir == NULL)
		return;
	n = strlen(dir);
	while (n > 0 && strchr(OS_DIR_SEPARATORS, dir[n - 1]) == NULL)
		n--;
	if (n > 1) {
		dir[n - 1] = '\0';
		os_sync_dir(dir);
	}
	free(dir);
}

int xdr_copy_fd(int src, const char *dst, uint64_t *size, struct xdr_err *err)
{
	char buf[65536];
	uint64_t total = 0;
	int fd = open(dst,
	              O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW |
	                      O_BINARY,
	              0600);
	int rc = XDR_OK;

	if (fd < 0)
		return xdr_errf(err, XDR_ERROR, "cannot create '%s': %s", dst,
		                strerror(errno));
	for (;;) {
		ssize_t r = read(src, buf, sizeof(buf));

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rc = xdr_errf(err, XDR_ERROR,
			              "cannot read the report file: %s",
			              strerror(errno));
			break;
		}
		if (r == 0)
			break;
		if (xdr_write_all(fd, buf, (size_t)r) != 0) {
			rc = xdr_errf(err, XDR_ERROR, "cannot write '%s': %s",
			              dst, strerror(errno));
			break;
		}
		total += (uint64_t)r;
	}
	if (rc == XDR_OK && os_fsync(fd) != 0)
		rc = xdr_errf(err, XDR_ERROR, "cannot write '%s': %s", dst,
		              strerror(errno));
	if (close(fd) != 0 && rc == XDR_OK)
		rc = xdr_errf(err, XDR_ERROR, "cannot write '%s': %s", dst,
		              strerror(errno));
	if (rc != XDR_OK) {
		unlink(dst);
		return rc;
	}
	sync_parent(dst);
	*size = total;
	return XDR_OK;
}
