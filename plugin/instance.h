/*
 * instance.h - IT Glue instances: what an administrator configures to reach
 * one IT Glue account, and the rules an instance must follow.
 *
 * An instance has a name, a region (us, eu, au) or an API URL of its own, an
 * API key (kept sealed by the host, shown masked), an optional CA file and
 * proxy, a request budget, and the Open XDR groups it serves. A group is
 * served by at most one instance.
 */
#ifndef ITG_INSTANCE_H
#define ITG_INSTANCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct json_object;

/* IT Glue's regions; each has its own API host. */
enum itg_region {
	ITG_REGION_NONE = 0, /* the instance has a URL of its own */
	ITG_REGION_US,
	ITG_REGION_EU,
	ITG_REGION_AU
};
#define ITG_REGION_COUNT 3

/* Longest instance name, in bytes. */
#define ITG_INSTANCE_NAME_MAX 64
/* The default request budget: IT Glue allows 3000 requests per 5 minutes. */
#define ITG_RATE_REQUESTS_DEFAULT 3000
#define ITG_RATE_SECONDS_DEFAULT  300

/* "us", "eu", "au", or NULL for ITG_REGION_NONE and anything else. */
const char *itg_region_name(enum itg_region region);

/* The region named NAME ("us", "eu", "au", any case), or ITG_REGION_NONE. */
enum itg_region itg_region_parse(const char *name);

/* The public API host of REGION, e.g. "https://api.eu.itglue.com". */
const char *itg_region_default_url(enum itg_region region);

/* An instance as stored. Strings are owned (itg_instance_clear frees). */
struct itg_instance {
	int64_t id;
	char *name;
	enum itg_region region; /* ITG_REGION_NONE: url is set */
	char *url;              /* NULL when region is set */
	char *key_sealed;       /* the API key, sealed by the host */
	char *key_masked;       /* "ITG.****abcd" */
	char *ca_file;          /* NULL: the system's CA store */
	char *proxy;            /* NULL: no proxy */
	int64_t rate_requests;
	int64_t rate_seconds;
	int test_state; /* -1 never tested, 0 failed, 1 passed */
	char *test_detail;
	int64_t test_at; /* seconds since the epoch, 0 if never */
	int64_t *groups; /* the host ids of the groups it serves */
	size_t n_groups;
};

void itg_instance_clear(struct itg_instance *inst);

/*
 * What an instance.add or instance.update request asks for. Strings point
 * into the request (borrowed); a field the request does not give is NULL (or
 * 0 for numbers), and for update means "keep as is". clear_ca_file and
 * clear_proxy are set by an explicit null.
 */
struct itg_instance_spec {
	const char *name;
	const char *region;
	const char *url;
	const char *api_key;
	const char *ca_file;
	const char *proxy;
	bool clear_ca_file;
	bool clear_proxy;
	int64_t rate_requests;
	int64_t rate_seconds;
};

/*
 * Read and check an instance.add (for_update false) or instance.update
 * (for_update true) request. For add: name, api_key and exactly one of
 * region and url are required. For update: "instance" names the instance
 * (read by the caller), every other field is optional, and at least one must
 * be given; a region replaces a URL and a URL replaces a region. Unknown fields
 * are refused, so that a typo never passes silently. Returns 0, or XDR_EINVAL
 * with a one-line reason in err.
 */
int itg_instance_spec_read(struct json_object *request, bool for_update,
                           struct itg_instance_spec *spec, char *err,
                           size_t errsize);

#endif /* ITG_INSTANCE_H */
