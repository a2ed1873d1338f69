# unit tests of the plugin
