"""The mail tasks: one per kind of message, each a function of row ids."""
