/*
 * store_fault.h - what is wrong with the storage under the plugin's database,
 * told from SQLite's result code and the system's error (pure).
 *
 * SQLite says "disk I/O error" when the disk is full while it extends its
 * shared-memory file, and "attempt to write a readonly database" whether the
 * file system, the file or its journal is read-only. An administrator needs
 * to know which storage fault to fix; these functions say it in words.
 */
#ifndef ITG_STORE_FAULT_H
#define ITG_STORE_FAULT_H

#include <stddef.h>

enum itg_store_fault {
	ITG_STORE_NO_FAULT, /* not a storage fault (or no error at all) */
	ITG_STORE_FULL,     /* the disk (or the quota) is full */
	ITG_STORE_READONLY, /* the file system, file or journal is read-only */
	ITG_STORE_CORRUPT,  /* the database file is damaged */
	ITG_STORE_NOTADB,   /* the file is not an SQLite database */
	ITG_STORE_IOERR,    /* another I/O error */
	ITG_STORE_DENIED,   /* this user may not write the file or directory */
	ITG_STORE_CANTOPEN, /* the file or its directory cannot be opened */
	ITG_STORE_LOCKED,   /* another process holds the lock too long */
};

/*
 * The fault of SQLite's (extended) result code RC, whose last system call
 * failed with SYS_ERRNO (sqlite3_system_errno(); 0 if none): a full disk or
 * quota, a read-only file system (or an immutable file: EPERM) and a denied
 * permission win over the code SQLite chose.
 */
enum itg_store_fault itg_store_fault_of(int rc, int sys_errno);

/* A short sentence for FAULT ("the disk is full"); "" for no fault. */
const char *itg_store_fault_text(enum itg_store_fault fault);

/*
 * One line for an administrator into BUF: the fault's sentence, then
 * SQLite's message and the system's (SQLITE_MSG may be NULL), e.g. "the disk
 * is full (SQLite: disk I/O error; system: No space left on device)"; only
 * SQLite's message when RC is no storage fault.
 */
void itg_store_fault_message(int rc, int sys_errno, const char *sqlite_msg,
                             char *buf, size_t size);

#endif /* ITG_STORE_FAULT_H */
