# unit tests of the host SDK
