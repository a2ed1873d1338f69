/*
 * session.c - the console's sessions: a table of at most XCON_SESSIONS_MAX,
 * each known by the SHA-256 of its id (a copy of the table gives no cookie
 * away), with its CSRF token, its login time and its last use; and the
 * reading of the Cookie header that carries the id.
 *
 * Pure: the caller gives the time and the random bytes.
 */
#include "config.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"

#define ID_LEN (XCON_TOKEN_CHARS - 1) /* base64url of 32 bytes, no padding */

struct session {
	bool used;
	unsigned char id_hash[32];
	char csrf[XCON_TOKEN_CHARS];
	int64_t created;
	int64_t last_used;
};

struct xcon_sessions {
	struct session slot[XCON_SESSIONS_MAX];
};

struct xcon_sessions *xcon_sessions_new(void)
{
	return calloc(1, sizeof(struct xcon_sessions));
}

void xcon_sessions_free(struct xcon_sessions *s)
{
	if (s == NULL)
		return;
	OPENSSL_cleanse(s, sizeof(*s));
	free(s);
}

/* base64url without padding (RFC 4648 §5) of XCON_TOKEN_BYTES bytes. */
static void encode_token(const unsigned char *in, char out[XCON_TOKEN_CHARS])
{
	static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	                               "abcdefghijklmnopqrstuvwxyz0123456789-_";
	size_t o = 0, i = 0;

	for (; i + 3 <= XCON_TOKEN_BYTES; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 |
		             in[i + 2];

		out[o++] = alphabet[v >> 18 & 63];
		out[o++] = alphabet[v >> 12 & 63];
		out[o++] = alphabet[v >> 6 & 63];
		out[o++] = alphabet[v & 63];
	}
	/* 32 = 3 * 10 + 2: two bytes left, three characters. */
	{
		uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8;

		out[o++] = alphabet[v >> 18 & 63];
		out[o++] = alphabet[v >> 12 & 63];
		out[o++] = alphabet[v >> 6 & 63];
	}
	out[o] = '\0';
}

/* Could id be one of ours: ID_LEN characters of the base64url alphabet? */
static bool id_well_formed(const char *id)
{
	size_t n = 0;

	if (id == NULL)
		return false;
	for (; id[n] != '\0' && n <= ID_LEN; n++) {
		char c = id[n];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return false;
	}
	return n == ID_LEN;
}

static bool hash_id(const char *id, unsigned char out[32])
{
	unsigned int n = 0;

	return EVP_Digest(id, strlen(id), out, &n, EVP_sha256(), NULL) == 1 &&
	       n == 32;
}

static void drop(struct session *e)
{
	OPENSSL_cleanse(e, sizeof(*e));
}

static bool expired(const struct session *e, int64_t now)
{
	return now - e->last_used >= XCON_SESSION_IDLE ||
	       now - e->created >= XCON_SESSION_LIFETIME;
}

static void drop_expired(struct xcon_sessions *s, int64_t now)
{
	for (size_t i = 0; i < XCON_SESSIONS_MAX; i++)
		if (s->slot[i].used && expired(&s->slot[i], now))
			drop(&s->slot[i]);
}

/* The live session whose id hashes to hash, or NULL. */
static struct session *find(struct xcon_sessions *s, const char *id)
{
	unsigned char hash[32];
	struct session *found = NULL;

	if (!id_well_formed(id) || !hash_id(id, hash))
		return NULL;
	for (size_t i = 0; i < XCON_SESSIONS_MAX; i++)
		if (s->slot[i].used &&
		    CRYPTO_memcmp(s->slot[i].id_hash, hash, sizeof(hash)) == 0)
			found = &s->slot[i];
	return found;
}

int xcon_session_open(struct xcon_sessions *s, int64_t now,
                      const unsigned char random[2 * XCON_TOKEN_BYTES],
                      char id[XCON_TOKEN_CHARS], char csrf[XCON_TOKEN_CHARS])
{
	struct session *e = NULL;

	drop_expired(s, now);
	for (size_t i = 0; i < XCON_SESSIONS_MAX && e == NULL; i++)
		if (!s->slot[i].used)
			e = &s->slot[i];
	if (e == NULL) {
		/* Full: the session used least recently makes room. */
		e = &s->slot[0];
		for (size_t i = 1; i < XCON_SESSIONS_MAX; i++)
			if (s->slot[i].last_used < e->last_used)
				e = &s->slot[i];
		drop(e);
	}
	encode_token(random, id);
	if (!hash_id(id, e->id_hash)) {
		OPENSSL_cleanse(id, XCON_TOKEN_CHARS);
		drop(e);
		return XDR_ENOMEM;
	}
	encode_token(random + XCON_TOKEN_BYTES, e->csrf);
	memcpy(csrf, e->csrf, XCON_TOKEN_CHARS);
	e->created = now;
	e->last_used = now;
	e->used = true;
	return XDR_OK;
}

bool xcon_session_touch(struct xcon_sessions *s, const char *id, int64_t now,
                        char csrf[XCON_TOKEN_CHARS])
{
	struct session *e;

	drop_expired(s, now);
	e = find(s, id);
	if (e == NULL)
		return false;
	if (now > e->last_used)
		e->last_used = now;
	if (csrf != NULL)
		memcpy(csrf, e->csrf, XCON_TOKEN_CHARS);
	return true;
}

bool xcon_session_close(struct xcon_sessions *s, const char *id)
{
	struct session *e = find(s, id);

	if (e == NULL)
		return false;
	drop(e);
	return true;
}

void xcon_sessions_close_all(struct xcon_sessions *s)
{
	for (size_t i = 0; i < XCON_SESSIONS_MAX; i++)
		drop(&s->slot[i]);
}

size_t xcon_sessions_count(const struct xcon_sessions *s)
{
	size_t n = 0;

	for (size_t i = 0; i < XCON_SESSIONS_MAX; i++)
		n += s->slot[i].used;
	return n;
}

bool xcon_token_equal(const char *expected, const char *given)
{
	size_t n;

	if (expected == NULL || given == NULL || expected[0] == '\0')
		return false;
	n = strlen(expected);
	/* The length of a token is no secret; its bytes are. */
	if (strlen(given) != n)
		return false;
	return CRYPTO_memcmp(expected, given, n) == 0;
}

/* RFC 6265 §4.2.1: the header's pairs are separated by ";" and spaces;
 * browsers also send tabs or no space at all, which are taken too. */
static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* A byte allowed in a cookie value (RFC 6265 §4.1.1, cookie-octet). */
static bool is_cookie_octet(unsigned char c)
{
	return c == 0x21 || (c >= 0x23 && c <= 0x2b) ||
	       (c >= 0x2d && c <= 0x3a) || (c >= 0x3c && c <= 0x5b) ||
	       (c >= 0x5d && c <= 0x7e);
}

bool xcon_cookie_value(const char *header, const char *name, char *out,
                       size_t size)
{
	size_t name_len;
	const char *p = header, *value = NULL;
	size_t value_len = 0;
	bool found = false;

	if (header == NULL || name == NULL || name[0] == '\0' || out == NULL ||
	    size == 0)
		return false;
	out[0] = '\0';
	name_len = strlen(name);
	while (*p != '\0') {
		const char *start, *end, *eq;

		while (is_space(*p) || *p == ';')
			p++;
		if (*p == '\0')
			break;
		start = p;
		while (*p != '\0' && *p != ';')
			p++;
		end = p;
		while (end > start && is_space(end[-1]))
			end--;
		eq = memchr(start, '=', (size_t)(end - start));
		/* A piece without "=" names no cookie: not ours, skipped. */
		if (eq == NULL || (size_t)(eq - start) != name_len ||
		    memcmp(start, name, name_len) != 0)
			continue;
		/* Twice: a planted duplicate (a cookie set for a parent domain
		 * or another path); neither is trusted. */
		if (found)
			return false;
		found = true;
		value = eq + 1;
		value_len = (size_t)(end - value);
	}
	if (!found || value_len == 0 || value_len >= size)
		return false;
	for (size_t i = 0; i < value_len; i++)
		if (!is_cookie_octet((unsigned char)value[i]))
			return false;
	memcpy(out, value, value_len);
	out[value_len] = '\0';
	return true;
}
