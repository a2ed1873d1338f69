/*
 * civil.h - calendar arithmetic (pure: no I/O).
 */
#ifndef ITG_CIVIL_H
#define ITG_CIVIL_H

#include <stdint.h>

/* Days from 1970-01-01 to Y-M-D of the proleptic Gregorian calendar
 * (M 1..12, D 1..31, not checked against the month), negative before:
 * H. Hinnant's days_from_civil. What timegm() would give, which Windows
 * lacks. */
int64_t itg_days_from_civil(int64_t y, int m, int d);

#endif /* ITG_CIVIL_H */
