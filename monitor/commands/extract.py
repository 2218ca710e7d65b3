"""newsmon extract commands."""

COMMANDS: list = []
