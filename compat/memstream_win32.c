/*
 * memstream_win32.c - os.h in-memory streams on Win32, which has no
 * open_memstream(): a temporary file that the system deletes when it is
 * closed (or the process ends), marked temporary so that its data stays in
 * the cache, read back whole on close.
 *
 * tmpfile() is no substitute: Microsoft's C library creates its files in
 * the root of the current drive, where users other than administrators
 * may not write.
 */
#include "config.h"

/* rand_s() is declared only on request. */
#define _CRT_RAND_S

#include <errno.h>
#include <fcntl.h>
#include <io.h>
#include <stdlib.h>

#include "os.h"

/* A FILE on a new temporary file deleted on close; NULL with errno. */
static FILE *temp_stream(void)
{
	char dir[MAX_PATH + 1], path[MAX_PATH];
	DWORD len = GetTempPathA(sizeof(dir), dir);
	HANDLE h = INVALID_HANDLE_VALUE;
	DWORD error = ERROR_FILE_EXISTS;
	FILE *f;
	int fd;

	if (len == 0 || len >= sizeof(dir)) {
		errno = EIO;
		return NULL;
	}
	/* The file is created here, not by GetTempFileNameA() (a nonzero
	 * number only makes a name), so that its attributes apply: they
	 * count only when a file is created. */
	for (unsigned tries = 0; h == INVALID_HANDLE_VALUE &&
	                         error == ERROR_FILE_EXISTS && tries < 100;
	     tries++) {
		unsigned n = 0;

		if (rand_s(&n) != 0)
			n = GetTickCount() ^ (GetCurrentProcessId() << 16) ^
			    tries;
		if (GetTempFileNameA(dir, "xdr", (n & 0xffff) | 1, path) == 0)
			break;
		h = CreateFileA(
		        path, GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_NEW,
		        FILE_ATTRIBUTE_TEMPORARY | FILE_FLAG_DELETE_ON_CLOSE,
		        NULL);
		if (h == INVALID_HANDLE_VALUE)
			error = GetLastError();
	}
	if (h == INVALID_HANDLE_VALUE) {
		errno = error == ERROR_ACCESS_DENIED ? EACCES : EIO;
		return NULL;
	}
	fd = _open_osfhandle((intptr_t)h, _O_RDWR | _O_BINARY);
	if (fd < 0) {
		CloseHandle(h);
		errno = EMFILE;
		return NULL;
	}
	f = _fdopen(fd, "w+b");
	if (f == NULL) {
		int saved = errno != 0 ? errno : ENOMEM;

		_close(fd);
		errno = saved;
	}
	return f;
}

int os_memstream_open(struct os_memstream *s)
{
	s->text = NULL;
	s->size = 0;
	s->f = temp_stream();
	return s->f != NULL ? 0 : -1;
}

char *os_memstream_close(struct os_memstream *s, size_t *size)
{
	FILE *f = s->f;
	char *text = NULL;
	int64_t len = -1;
	int error = 0;

	s->f = NULL;
	s->text = NULL;
	errno = 0;
	if (fflush(f) != 0 || ferror(f))
		error = errno != 0 ? errno : EIO;
	else if (_fseeki64(f, 0, SEEK_END) != 0 || (len = _ftelli64(f)) < 0 ||
	         _fseeki64(f, 0, SEEK_SET) != 0)
		error = errno != 0 ? errno : EIO;
	else if ((uint64_t)len >= SIZE_MAX || !(text = malloc((size_t)len + 1)))
		error = ENOMEM;
	else if (fread(text, 1, (size_t)len, f) != (size_t)len)
		error = ferror(f) && errno != 0 ? errno : EIO;
	/* Closing the last handle deletes the file. */
	fclose(f);
	if (error != 0) {
		free(text);
		errno = error;
		return NULL;
	}
	text[len] = '\0';
	s->size = (size_t)len;
	if (size != NULL)
		*size = (size_t)len;
	return text;
}
