"""An app module that cannot be imported: the failure analyzer must show this traceback."""

raise ImportError("this module is broken on purpose")
