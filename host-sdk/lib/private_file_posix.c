/*
 * private_file_posix.c - opening a file that holds a secret (the seal key,
 * the console's password file) only if it is private to the user running
 * the host, as ssh does with private keys. POSIX only: on Windows the
 * secrets are protected with DPAPI instead.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xdrhost.h"

int xdr_private_file_open(const char *path, const char *what, int *fd,
                          int64_t *size, struct xdr_err *err)
{
	struct stat st;
	int f = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);

	if (f < 0)
		return xdr_errf(err, XDR_ERROR, "cannot open %s '%s': %s", what,
		                path, strerror(errno));
	/* The checks are made on the file opened, not on its name, so that
	 * nothing can be swapped in between. */
	if (fstat(f, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(f);
		return xdr_errf(err, XDR_ERROR, "%s '%s' is not a regular file",
		                what, path);
	}
	if (st.st_uid != geteuid()) {
		close(f);
		return xdr_errf(err, XDR_ERROR,
		                "%s '%s' is not owned by the user running the "
		                "host",
		                what, path);
	}
	if ((st.st_mode & 077) != 0) {
		close(f);
		return xdr_errf(err, XDR_ERROR,
		                "permissions %04o for %s '%s' are too open: it "
		                "must not be accessible by group or others "
		                "(chmod 600 '%s')",
		                (unsigned)(st.st_mode & 07777), what, path,
		                path);
	}
	*fd = f;
	if (size != NULL)
		*size = (int64_t)st.st_size;
	return XDR_OK;
}
