/*
 * mac.h - MAC addresses in one canonical form (pure: no I/O).
 *
 * The host records a system's MACs as the agent reported them, IT Glue keeps
 * configurations' MACs as people typed them ("18-5E-0F-ED-99-9A" on a
 * configuration, "C4:7A:92:14:3D:78" on an interface). Comparing them
 * literally misses matches, so every MAC goes through itg_mac_canonical()
 * first: 12 lower-case hex digits, no separator.
 */
#ifndef ITG_MAC_H
#define ITG_MAC_H

#include <stdbool.h>
#include <stdint.h>

/* "aabbccddeeff" and its NUL. */
#define ITG_MAC_CANON_SIZE 13
/* "aa:bb:cc:dd:ee:ff" and its NUL. */
#define ITG_MAC_TEXT_SIZE 18

/*
 * Write the canonical form of IN into OUT (12 lower-case hex digits).
 *
 * Accepted, in any case, with spaces and tabs around ignored:
 *   "aabbccddeeff"                 no separator
 *   "aa:bb:cc:dd:ee:ff"            six groups of two digits
 *   "aa-bb-cc-dd-ee-ff"
 *   "aabb.ccdd.eeff"               three groups of four digits
 * The separator is one of ':', '-', '.', the same all along, and the groups
 * are all of two digits or all of four ("aabb-ccdd-eeff" is accepted too).
 *
 * Returns 0, or XDR_EINVAL (OUT set to "") for NULL, an empty string, a
 * non-hex digit ("18-5E-0F-ED-99-9J"), mixed separators, groups of other or
 * unequal sizes, or anything else around the digits.
 */
int itg_mac_canonical(const char *in, char out[ITG_MAC_CANON_SIZE]);

/* The 48-bit value of a canonical MAC (0 for a string that is not one). */
uint64_t itg_mac_value(const char canon[ITG_MAC_CANON_SIZE]);

/* Write the canonical form of the MAC of value VALUE (its low 48 bits) into
 * OUT: the inverse of itg_mac_value(). */
void itg_mac_from_value(uint64_t value, char out[ITG_MAC_CANON_SIZE]);

/*
 * Why the canonical MAC CANON identifies no one device, or NULL when it
 * does: "all zeros", "broadcast", "multicast" (bit 0 of the first octet),
 * or the name of a shipped shared virtual adapter ("Microsoft loopback
 * adapter", ...). Such MACs are the same on many machines, so matching on
 * them would join unrelated systems and configurations. A string that is
 * not canonical answers "not a MAC address".
 */
const char *itg_mac_ignored_reason(const char canon[ITG_MAC_CANON_SIZE]);

/* itg_mac_ignored_reason(canon) == NULL. */
bool itg_mac_identifies(const char canon[ITG_MAC_CANON_SIZE]);

/* The value of the MAC text IN when it is a MAC (itg_mac_canonical) that
 * identifies a device (itg_mac_identifies): 0 with *VALUE set, else
 * XDR_EINVAL. What matching needs, in one pass. */
int itg_mac_identifying_value(const char *in, uint64_t *value);

/*
 * Write the canonical MAC CANON as "aa:bb:cc:dd:ee:ff" into OUT, for
 * messages and events. Returns 0, or XDR_EINVAL (OUT set to "") when CANON
 * is not canonical.
 */
int itg_mac_format(const char canon[ITG_MAC_CANON_SIZE],
                   char out[ITG_MAC_TEXT_SIZE]);

#endif /* ITG_MAC_H */
