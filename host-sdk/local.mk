# host-sdk: the reference host library and the xdr-host command.
