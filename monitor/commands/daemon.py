"""newsmon daemon commands."""

COMMANDS: list = []
