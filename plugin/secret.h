/*
 * secret.h - API keys shown masked and wiped from memory after use.
 */
#ifndef ITG_SECRET_H
#define ITG_SECRET_H

#include <stddef.h>

/* Room for any mask itg_secret_mask() writes, including the NUL. */
#define ITG_SECRET_MASK_MAX 32

/*
 * Write a masked form of SECRET into out (outsize bytes, always
 * NUL-terminated) for logs and admin answers: "ITG.abcdef...wxyz" becomes
 * "ITG.****wxyz". At most the last 4 characters are shown, and only of a
 * secret of 8 characters or more; a shorter or NULL secret becomes "****".
 * The "ITG." prefix is kept because it says what kind of key it is, not
 * which one. Returns out.
 */
char *itg_secret_mask(const char *secret, char *out, size_t outsize);

/*
 * Overwrite LEN bytes at P with zeros in a way the compiler may not drop as a
 * dead store. NULL is allowed.
 */
void itg_secret_wipe(void *p, size_t len);

/* Wipe the string S (up to its NUL) and free it; NULL is allowed. */
void itg_secret_free(char *s);

#endif /* ITG_SECRET_H */
