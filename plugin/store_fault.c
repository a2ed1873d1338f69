/*
 * store_fault.c - storage faults of the plugin's database, in words (pure).
 */
#include <config.h>

#include "store_fault.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

/* What sqlite3_system_errno() holds: errno, or on Windows GetLastError(). */
#ifdef _WIN32
#define SYS_DISK_FULL        112 /* ERROR_DISK_FULL */
#define SYS_HANDLE_DISK_FULL 39  /* ERROR_HANDLE_DISK_FULL */
#define SYS_WRITE_PROTECT    19  /* ERROR_WRITE_PROTECT */
#define SYS_ACCESS_DENIED    5   /* ERROR_ACCESS_DENIED */
#endif

static int is_full(int e)
{
#ifdef _WIN32
	return e == SYS_DISK_FULL || e == SYS_HANDLE_DISK_FULL;
#else
#ifdef EDQUOT
	if (e == EDQUOT)
		return 1;
#endif
	return e == ENOSPC;
#endif
}

/* A read-only file system, or a file no one may write (immutable). */
static int is_readonly(int e)
{
#ifdef _WIN32
	return e == SYS_WRITE_PROTECT;
#else
	return e == EROFS || e == EPERM;
#endif
}

static int is_denied(int e)
{
#ifdef _WIN32
	return e == SYS_ACCESS_DENIED;
#else
	return e == EACCES;
#endif
}

/* Is PRIMARY a code of a failed system call, whose errno says more? */
static int from_system(int primary)
{
	return primary == SQLITE_IOERR || primary == SQLITE_CANTOPEN ||
	       primary == SQLITE_READONLY || primary == SQLITE_PERM ||
	       primary == SQLITE_FULL;
}

enum itg_store_fault itg_store_fault_of(int rc, int sys_errno)
{
	int primary = rc & 0xff;

	/* The system's reason is the precise one: SQLite reports a full disk
	 * met while growing its shared memory as an I/O error, and a file
	 * system mounted read-only as "cannot open" or "read-only". The
	 * errno of an earlier call may linger: only codes of a failed system
	 * call are told by it. */
	if (from_system(primary) && is_full(sys_errno))
		return ITG_STORE_FULL;
	if (from_system(primary) && is_readonly(sys_errno))
		return ITG_STORE_READONLY;
	if (from_system(primary) && is_denied(sys_errno))
		return ITG_STORE_DENIED;
	switch (primary) {
	case SQLITE_FULL:
		return ITG_STORE_FULL;
	case SQLITE_READONLY:
		return ITG_STORE_READONLY;
	case SQLITE_CORRUPT:
		return ITG_STORE_CORRUPT;
	case SQLITE_NOTADB:
		return ITG_STORE_NOTADB;
	case SQLITE_IOERR:
		return ITG_STORE_IOERR;
	case SQLITE_PERM:
		return ITG_STORE_DENIED;
	case SQLITE_CANTOPEN:
		return ITG_STORE_CANTOPEN;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return ITG_STORE_LOCKED;
	default:
		return ITG_STORE_NO_FAULT;
	}
}

const char *itg_store_fault_text(enum itg_store_fault fault)
{
	switch (fault) {
	case ITG_STORE_FULL:
		return "the disk is full";
	case ITG_STORE_READONLY:
		return "the database cannot be written: its file system, "
		       "file or journal is read-only";
	case ITG_STORE_CORRUPT:
		return "the database file is corrupt";
	case ITG_STORE_NOTADB:
		return "the file is not a database";
	case ITG_STORE_IOERR:
		return "a disk I/O error";
	case ITG_STORE_DENIED:
		return "the database cannot be written: this user may not "
		       "write its file, journal or directory";
	case ITG_STORE_CANTOPEN:
		return "the database file cannot be opened";
	case ITG_STORE_LOCKED:
		return "the database is locked by another process";
	case ITG_STORE_NO_FAULT:
		break;
	}
	return "";
}

void itg_store_fault_message(int rc, int sys_errno, const char *sqlite_msg,
                             char *buf, size_t size)
{
	enum itg_store_fault fault = itg_store_fault_of(rc, sys_errno);
	const char *msg = sqlite_msg != NULL ? sqlite_msg : sqlite3_errstr(rc);
	char sys[128] = "";

	if (buf == NULL || size == 0)
		return;
	if (fault == ITG_STORE_NO_FAULT) {
		snprintf(buf, size, "%s", msg);
		return;
	}
	if (sys_errno != 0 && from_system(rc & 0xff)) {
#ifdef _WIN32
		snprintf(sys, sizeof(sys), "; system error %d", sys_errno);
#else
		snprintf(sys, sizeof(sys), "; system: %s", strerror(sys_errno));
#endif
	}
	snprintf(buf, size, "%s (SQLite: %s%s)", itg_store_fault_text(fault),
	         msg, sys);
}
