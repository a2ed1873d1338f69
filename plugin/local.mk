# plugin: the IT Glue plugin (itglue.so / itglue.dll).
