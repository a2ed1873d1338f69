/*
 * fs_win32.c - os.h files on Win32.
 */
#include "config.h"

/* rand_s() is declared only on request. */
#define _CRT_RAND_S

#include <direct.h>
#include <errno.h>
#include <io.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include <sddl.h>

#include "os.h"

/*
 * The access list of a private directory, inherited by everything created
 * in it: full control for SYSTEM, the Administrators and the user running
 * this process (by the user's own SID: a directory an elevated prompt
 * creates is owned by Administrators, whom the same user's token without
 * elevation does not count as), and nothing inherited from the parent (P).
 */
#define PRIVATE_SDDL_FORMAT                                                    \
	"D:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;FA;;;%s)"

/* The SDDL of PRIVATE_SDDL_FORMAT for this process's user, or NULL. */
static char *private_sddl(void)
{
	HANDLE token;
	union {
		TOKEN_USER user;
		char bytes[256];
	} info;
	DWORD n = 0;
	char *sid = NULL, *sddl = NULL;

	if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token))
		return NULL;
	if (GetTokenInformation(token, TokenUser, &info, sizeof(info), &n) &&
	    ConvertSidToStringSidA(info.user.User.Sid, &sid)) {
		size_t len = sizeof(PRIVATE_SDDL_FORMAT) + strlen(sid);

		sddl = malloc(len);
		if (sddl != NULL)
			snprintf(sddl, len, PRIVATE_SDDL_FORMAT, sid);
		LocalFree(sid);
	}
	CloseHandle(token);
	return sddl;
}

/* Set errno from a Win32 error code; always -1. */
static int fail_with(DWORD error)
{
	switch (error) {
	case ERROR_ALREADY_EXISTS:
	case ERROR_FILE_EXISTS:
		errno = EEXIST;
		break;
	case ERROR_FILE_NOT_FOUND:
	case ERROR_PATH_NOT_FOUND:
	case ERROR_INVALID_DRIVE:
	case ERROR_BAD_NETPATH:
	case ERROR_BAD_NET_NAME:
		errno = ENOENT;
		break;
	case ERROR_ACCESS_DENIED:
	case ERROR_SHARING_VIOLATION:
	case ERROR_LOCK_VIOLATION:
		errno = EACCES;
		break;
	case ERROR_DIR_NOT_EMPTY:
		errno = ENOTEMPTY;
		break;
	case ERROR_NOT_SAME_DEVICE:
		errno = EXDEV;
		break;
	case ERROR_FILENAME_EXCED_RANGE:
		errno = ENAMETOOLONG;
		break;
	case ERROR_INVALID_NAME:
	case ERROR_BAD_PATHNAME:
		errno = EINVAL;
		break;
	case ERROR_DIRECTORY:
		errno = ENOTDIR;
		break;
	case ERROR_WRITE_PROTECT:
		errno = EROFS;
		break;
	case ERROR_PRIVILEGE_NOT_HELD:
		errno = EPERM;
		break;
	case ERROR_USER_MAPPED_FILE:
		errno = EACCES;
		break;
	case ERROR_DISK_FULL:
	case ERROR_HANDLE_DISK_FULL:
		errno = ENOSPC;
		break;
	case ERROR_NOT_ENOUGH_MEMORY:
	case ERROR_OUTOFMEMORY:
		errno = ENOMEM;
		break;
	default:
		errno = EIO;
		break;
	}
	return -1;
}

/*
 * Did ERROR come of a file that someone else holds open for a moment, and
 * is it worth trying again after TRIES tries? Virus scanners and indexers
 * open new files briefly without sharing their deletion, and a deleted file
 * lingers in its directory until its last handle closes. If so, wait a
 * little (10 ms, doubling, 0.3 s in all) first.
 */
static bool busy(DWORD error, int tries)
{
	if (tries >= 5 ||
	    (error != ERROR_ACCESS_DENIED && error != ERROR_SHARING_VIOLATION &&
	     error != ERROR_DIR_NOT_EMPTY))
		return false;
	Sleep(10u << tries);
	return true;
}

int os_mkdir_private(const char *path)
{
	PSECURITY_DESCRIPTOR sd = NULL;
	SECURITY_ATTRIBUTES sa;
	char *sddl = private_sddl();
	BOOL ok;

	/* Never a directory open to others instead of a private one. */
	if (sddl == NULL)
		return fail_with(GetLastError() != 0 ? GetLastError()
		                                     : ERROR_NOT_ENOUGH_MEMORY);
	ok = ConvertStringSecurityDescriptorToSecurityDescriptorA(
	        sddl, SDDL_REVISION_1, &sd, NULL);
	free(sddl);
	if (!ok)
		return fail_with(GetLastError());
	sa.nLength = sizeof(sa);
	sa.lpSecurityDescriptor = sd;
	sa.bInheritHandle = FALSE;
	ok = CreateDirectoryA(path, &sa);
	if (!ok) {
		DWORD error = GetLastError();

		LocalFree(sd);
		return fail_with(error);
	}
	LocalFree(sd);
	return 0;
}

/* A random number for a name, from the system's generator if it answers. */
static unsigned int name_random(void)
{
	static volatile LONG counter;
	unsigned int r;
	LARGE_INTEGER now;

	if (rand_s(&r) == 0)
		return r;
	QueryPerformanceCounter(&now);
	r = (unsigned int)now.QuadPart ^ (unsigned int)GetTickCount();
	r ^= (unsigned int)GetCurrentProcessId() * 2654435761u;
	return r + (unsigned int)InterlockedIncrement(&counter) * 40503u;
}

char *os_mkdtemp(char *template_)
{
	static const char chars[] = "abcdefghijklmnopqrstuvwxyz"
	                            "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	size_t len = template_ != NULL ? strlen(template_) : 0;
	char *x;

	if (len < 6 || strcmp(template_ + len - 6, "XXXXXX") != 0) {
		errno = EINVAL;
		return NULL;
	}
	x = template_ + len - 6;
	for (int tries = 0; tries < 100; tries++) {
		for (int i = 0; i < 6; i++)
			x[i] = chars[name_random() % (sizeof(chars) - 1)];
		/* Private, as mkdtemp()'s 0700. */
		if (os_mkdir_private(template_) == 0)
			return template_;
		if (errno != EEXIST)
			break;
	}
	/* errno says why: EEXIST if every name tried was taken. */
	memcpy(x, "XXXXXX", 6);
	return NULL;
}

int os_replace(const char *from, const char *to)
{
	for (int tries = 0;; tries++) {
		DWORD error;

		if (MoveFileExA(from, to,
		                MOVEFILE_REPLACE_EXISTING |
		                        MOVEFILE_WRITE_THROUGH))
			return 0;
		error = GetLastError();
		if (!busy(error, tries))
			return fail_with(error);
	}
}

int os_link(const char *from, const char *to)
{
	DWORD error;

	if (CreateHardLinkA(to, from, NULL))
		return 0;
	error = GetLastError();
	/* As link(): EPERM where the file system has no hard links (FAT). */
	if (error == ERROR_INVALID_FUNCTION || error == ERROR_NOT_SUPPORTED) {
		errno = EPERM;
		return -1;
	}
	return fail_with(error);
}

int os_fsync(int fd)
{
	return _commit(fd);
}

void os_sync_dir(const char *dir)
{
	/* NTFS makes directory entries durable with their files' metadata. */
	(void)dir;
}

int os_fchmod(int fd, unsigned mode)
{
	/* No mode bits: files take the access list of their directory (see
	 * os_mkdir_private()). */
	(void)fd;
	(void)mode;
	return 0;
}

char *os_realpath(const char *path)
{
	DWORD need, got;
	char *abs;

	if (path == NULL) {
		errno = EINVAL;
		return NULL;
	}
	if (*path == '\0') {
		errno = ENOENT;
		return NULL;
	}
	need = GetFullPathNameA(path, 0, NULL, NULL);
	if (need == 0) {
		fail_with(GetLastError());
		return NULL;
	}
	abs = malloc(need);
	if (abs == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	got = GetFullPathNameA(path, need, abs, NULL);
	if (got == 0 || got >= need) {
		/* Failed, or the current directory changed in between. */
		if (got == 0)
			fail_with(GetLastError());
		else
			errno = EAGAIN;
		free(abs);
		return NULL;
	}
	if (GetFileAttributesA(abs) == INVALID_FILE_ATTRIBUTES) {
		fail_with(GetLastError());
		free(abs);
		return NULL;
	}
	return abs;
}

static bool is_slash(char c)
{
	return c == '/' || c == '\\';
}

char *os_path_to_utf8(const char *path)
{
	int wide_len = MultiByteToWideChar(CP_ACP, 0, path, -1, NULL, 0);
	wchar_t *wide;
	char *utf8 = NULL;
	int len;

	if (wide_len <= 0) {
		errno = EINVAL;
		return NULL;
	}
	wide = malloc((size_t)wide_len * sizeof(*wide));
	if (wide == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	MultiByteToWideChar(CP_ACP, 0, path, -1, wide, wide_len);
	len = WideCharToMultiByte(CP_UTF8, 0, wide, -1, NULL, 0, NULL, NULL);
	if (len > 0)
		utf8 = malloc((size_t)len);
	if (utf8 != NULL)
		WideCharToMultiByte(CP_UTF8, 0, wide, -1, utf8, len, NULL,
		                    NULL);
	else
		errno = len > 0 ? ENOMEM : EINVAL;
	free(wide);
	return utf8;
}

bool os_path_is_absolute(const char *path)
{
	char drive;

	if (path == NULL)
		return false;
	/* \x and /x are rooted on the current drive, \\server\x is UNC. */
	if (is_slash(path[0]))
		return true;
	drive = (char)(path[0] | 0x20);
	return drive >= 'a' && drive <= 'z' && path[1] == ':' &&
	       is_slash(path[2]);
}

/* PATH joined with NAME; malloc'd. */
static char *join(const char *path, const char *name)
{
	size_t pl = strlen(path), nl = strlen(name);
	bool sep = pl > 0 && !is_slash(path[pl - 1]);
	char *out = malloc(pl + sep + nl + 1);

	if (out == NULL)
		return NULL;
	memcpy(out, path, pl);
	if (sep)
		out[pl] = '\\';
	memcpy(out + pl + sep, name, nl + 1);
	return out;
}

/* Remove the empty directory or file PATH; success if it is not there. */
static int remove_one(const char *path, bool dir)
{
	for (int tries = 0;; tries++) {
		DWORD error;

		if (dir ? RemoveDirectoryA(path) : DeleteFileA(path))
			return 0;
		error = GetLastError();
		if (error == ERROR_FILE_NOT_FOUND ||
		    error == ERROR_PATH_NOT_FOUND)
			return 0;
		if (!busy(error, tries))
			return fail_with(error);
	}
}

int os_rmtree(const char *path)
{
	DWORD attr = GetFileAttributesA(path);
	WIN32_FIND_DATAA fd;
	HANDLE find;
	char *pattern;
	int rc = 0;

	if (attr == INVALID_FILE_ATTRIBUTES) {
		DWORD error = GetLastError();

		if (error == ERROR_FILE_NOT_FOUND ||
		    error == ERROR_PATH_NOT_FOUND)
			return 0;
		return fail_with(error);
	}
	/* A read-only file or directory cannot be deleted as it is. */
	if (attr & FILE_ATTRIBUTE_READONLY)
		SetFileAttributesA(path, attr & ~FILE_ATTRIBUTE_READONLY);
	if (!(attr & FILE_ATTRIBUTE_DIRECTORY))
		return remove_one(path, false);
	/* A junction or a directory symbolic link goes, not what it names. */
	if (attr & FILE_ATTRIBUTE_REPARSE_POINT)
		return remove_one(path, true);

	pattern = join(path, "*");
	if (pattern == NULL)
		return -1;
	find = FindFirstFileA(pattern, &fd);
	free(pattern);
	if (find == INVALID_HANDLE_VALUE) {
		DWORD error = GetLastError();

		if (error != ERROR_FILE_NOT_FOUND)
			return fail_with(error);
	} else {
		do {
			char *child;

			if (strcmp(fd.cFileName, ".") == 0 ||
			    strcmp(fd.cFileName, "..") == 0)
				continue;
			child = join(path, fd.cFileName);
			if (child == NULL) {
				rc = -1;
				break;
			}
			rc = os_rmtree(child);
			free(child);
		} while (rc == 0 && FindNextFileA(find, &fd));
		if (rc == 0 && GetLastError() != ERROR_NO_MORE_FILES)
			rc = fail_with(GetLastError());
		FindClose(find);
	}
	return rc == 0 ? remove_one(path, true) : rc;
}
