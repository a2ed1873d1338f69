# packaging: scripts behind the Quick start, CI and packages.
