/*
 * home.c - find and create the host's home directory.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "compat/os.h"
#include "xdrhost.h"

static const char *const home_subdirs[] = {"reports", "plugins"};

int xdr_home_resolve(const char *opt, char **out, struct xdr_err *err)
{
	const char *path = opt;
	char *abs;
	int rc;

	if (path == NULL || *path == '\0')
		path = getenv("XDR_HOME");
	if (path == NULL || *path == '\0')
		path = "xdr-home";
	/* Everything in the home is private to the user running the host. */
	rc = xdr_mkdir_p(path, err);
	if (rc != XDR_OK)
		return rc;
	abs = os_realpath(path);
	if (abs == NULL)
		return xdr_errf(err, XDR_ERROR, "cannot resolve home '%s': %s",
		                path, strerror(errno));
	for (size_t i = 0; i < sizeof(home_subdirs) / sizeof(home_subdirs[0]);
	     i++) {
		char *sub = xdr_path_join(abs, home_subdirs[i]);

		if (sub == NULL) {
			free(abs);
			return xdr_errf(err, XDR_ENOMEM, "out of memory");
		}
		rc = xdr_mkdir_p(sub, err);
		free(sub);
		if (rc != XDR_OK) {
			free(abs);
			return rc;
		}
	}
	*out = abs;
	return XDR_OK;
}
