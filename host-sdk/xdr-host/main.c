/*
 * main.c - xdr-host: global options, finding the command, help, and the
 * exit status.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "compat/os.h"

/* Do the first n words of words equal argv[0..n)? */
static bool starts_with(const char *words, int argc, char **argv, int n)
{
	const char *p = words;

	if (n > argc)
		return false;
	for (int i = 0; i < n; i++) {
		size_t len = strcspn(p, " ");

		if (len != strlen(argv[i]) || strncmp(p, argv[i], len) != 0)
			return false;
		p += len;
		if (*p == ' ')
			p++;
		else if (i + 1 < n)
			return false;
	}
	return true;
}

static int word_count(const char *words)
{
	int n = 1;

	for (; *words; words++)
		n += *words == ' ';
	return n;
}

/* The command named by the first words of argv (*used of them), or NULL;
 * *prefix_words is how many words name at least a family of commands. */
static const struct cli_command *find_command(int argc, char **argv, int *used,
                                              int *prefix_words)
{
	const struct cli_command *best = NULL;

	*used = 0;
	*prefix_words = 0;
	for (size_t i = 0; i < cli_n_commands; i++) {
		const struct cli_command *c = &cli_commands[i];
		int total = word_count(c->words);

		for (int n = 1;
		     n <= total && starts_with(c->words, argc, argv, n); n++) {
			if (n > *prefix_words)
				*prefix_words = n;
			if (n == total && n > *used) {
				best = c;
				*used = n;
			}
		}
	}
	return best;
}

static void join(char *buf, size_t size, int argc, char **argv)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int i = 0; i < argc && used < size; i++)
		used += (size_t)snprintf(buf + used, size - used, "%s%s",
		                         i ? " " : "", argv[i]);
}

static int help(struct cli *cli, int argc, char **argv)
{
	const struct cli_command *cmd;
	int used, prefix;
	char words[128];

	if (argc == 0) {
		cli_print_help(stdout);
		return CLI_OK;
	}
	cmd = find_command(argc, argv, &used, &prefix);
	if (cmd != NULL && used == argc) {
		cli_print_command_help(stdout, cmd);
		return CLI_OK;
	}
	if (prefix == argc) {
		join(words, sizeof(words), argc, argv);
		cli_print_family(stdout, words);
		return CLI_OK;
	}
	join(words, sizeof(words), argc, argv);
	return cli_usage_error(cli, "unknown command '%s'", words);
}

/* The words named a family ("report config") but no command of it. */
static int family_error(int argc, char **argv, int prefix)
{
	char words[128];

	join(words, sizeof(words), prefix, argv);
	if (prefix < argc && (strcmp(argv[prefix], "--help") == 0 ||
	                      strcmp(argv[prefix], "-h") == 0)) {
		cli_print_family(stdout, words);
		return CLI_OK;
	}
	if (prefix < argc)
		xdr_eprintf("xdr-host: unknown sub-command '%s' of '%s'\n",
		            argv[prefix], words);
	else
		xdr_eprintf("xdr-host: '%s' needs a sub-command\n", words);
	cli_print_family(stderr, words);
	return CLI_USAGE;
}

static int dispatch(struct cli *cli, int argc, char **argv)
{
	struct cli_args args;
	const struct cli_command *cmd;
	int used, prefix, rc;

	if (argc == 0)
		return cli_usage_error(cli, "missing command");
	if (strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0) {
		cli_print_help(stdout);
		return CLI_OK;
	}
	if (strcmp(argv[0], "--version") == 0) {
		printf("xdr-host (%s) %s, plugin ABI %d.%d\n", PACKAGE_NAME,
		       PACKAGE_VERSION, XDR_PLUGIN_ABI_MAJOR,
		       XDR_PLUGIN_ABI_MINOR);
		return CLI_OK;
	}
	if (argv[0][0] == '-')
		return cli_usage_error(cli, "unknown option '%s'", argv[0]);
	if (strcmp(argv[0], "help") == 0)
		return help(cli, argc - 1, argv + 1);
	cmd = find_command(argc, argv, &used, &prefix);
	if (cmd == NULL && prefix == 0)
		return cli_usage_error(cli, "unknown command '%s'", argv[0]);
	if (cmd == NULL) /* "report config": a family, no command */
		return family_error(argc, argv, prefix);
	cli->cmd = cmd;
	rc = cli_parse(cli, cmd, argc - used, argv + used, &args);
	if (rc == -1)
		return CLI_OK;
	if (rc != CLI_OK)
		return rc;
	rc = cmd->run(cli, &args);
	cli_args_free(&args);
	return rc;
}

int main(int argc, char **argv)
{
	struct cli cli = {NULL, NULL, false, NULL};
	int next, rc;

	/* Everything the host writes in its home is for its user only. */
	umask(077);
	/* The same bytes out on every platform: scripts parse them. */
	os_binary_stdio();
	rc = cli_parse_globals(&cli, argc - 1, argv + 1, &next);
	if (rc == CLI_OK)
		rc = dispatch(&cli, argc - 1 - next, argv + 1 + next);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		xdr_eprintf("xdr-host: cannot write the output: %s\n",
		            strerror(errno));
		if (rc == CLI_OK)
			rc = CLI_FAILED;
	}
	return rc;
}
