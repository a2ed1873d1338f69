/*
 * namekey.h - the name-key the server gives a flexible asset field: the key
 * of its trait. Deliberately not a naive slug, so that clients read it back
 * instead of deriving it. Pure.
 */
#ifndef SBX_NAMEKEY_H
#define SBX_NAMEKEY_H

#include <stddef.h>

#define SBX_NAME_KEY_MAX  48 /* characters, without the "-N" of a repeat */
#define SBX_NAME_KEY_SIZE 64

/*
 * The name-key of field NAME into OUT (SBX_NAME_KEY_SIZE bytes or more).
 * Returns XDR_OK or XDR_ERANGE when OUT is too small.
 */
int sbx_name_key(const char *name, char *out, size_t size);

/*
 * Like sbx_name_key(), then "-2", "-3", ... appended while the key is one of
 * the TAKEN keys.
 */
int sbx_name_key_unique(const char *name, const char *const *taken,
                        size_t ntaken, char *out, size_t size);

#endif
