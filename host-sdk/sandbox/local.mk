# host-sdk/sandbox: itglue-sandbox, a faithful local IT Glue.
