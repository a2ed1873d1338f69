/*
 * output.c - errors to stderr as "xdr-host: <message>", results to stdout.
 */
#include "config.h"

#include <inttypes.h>
#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cli_usage_error(const struct cli *cli, const char *fmt, ...)
{
	char msg[XDR_ERR_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	xdr_eprintf("xdr-host: %s\n", msg);
	if (cli != NULL && cli->cmd != NULL)
		cli_print_usage(stderr, cli->cmd);
	else
		fprintf(stderr,
		        "usage: xdr-host [--home DIR] [--plugin-dir DIR] "
		        "[-v|--verbose] COMMAND [ARGS]\n"
		        "Run 'xdr-host help' for the commands.\n");
	return CLI_USAGE;
}

int cli_fail(const char *fmt, ...)
{
	char msg[XDR_ERR_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	xdr_eprintf("xdr-host: %s\n", msg);
	return CLI_FAILED;
}

int cli_fail_err(const struct xdr_err *err)
{
	return cli_fail("%s", err->msg);
}

int cli_print_json(struct json_object *value, bool pretty)
{
	int flags = JSON_C_TO_STRING_NOSLASHESCAPE |
	            (pretty ? JSON_C_TO_STRING_PRETTY : JSON_C_TO_STRING_PLAIN);

	if (value == NULL)
		return cli_fail("out of memory");
	puts(json_object_to_json_string_ext(value, flags));
	json_object_put(value);
	return CLI_OK;
}

void cli_print_page_line(const struct cli_page *page, size_t n, int64_t total)
{
	if (n > 0)
		printf("%" PRId64 "-%" PRId64 " of %" PRId64 "\n",
		       page->offset + 1, page->offset + (int64_t)n, total);
	else
		printf("0 of %" PRId64 " (offset %" PRId64 ")\n", total,
		       page->offset);
}

char *cli_join(char *const *items, size_t n, const char *sep, bool *failed)
{
	size_t len = 1, sep_len = strlen(sep), used = 0;
	char *out;

	*failed = false;
	if (n == 0)
		return NULL;
	for (size_t i = 0; i < n; i++)
		len += strlen(items[i]) + sep_len;
	out = malloc(len);
	if (out == NULL) {
		*failed = true;
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		size_t k = strlen(items[i]);

		if (i > 0) {
			memcpy(out + used, sep, sep_len);
			used += sep_len;
		}
		memcpy(out + used, items[i], k);
		used += k;
	}
	out[used] = '\0';
	return out;
}
