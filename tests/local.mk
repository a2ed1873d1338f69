# tests: unit tests (cmocka), test plugins, and integration tests that drive
# xdr-host as a user would. Every test prints TAP.
include tests/unit/host.mk
include tests/unit/plugin.mk
