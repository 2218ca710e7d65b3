"""newsmon query commands."""

COMMANDS: list = []
