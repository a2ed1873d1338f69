# packaging: scripts behind the Quick start, CI and packages.
EXTRA_DIST += packaging/quickstart.sh packaging/README.md
