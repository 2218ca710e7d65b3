"""newsmon crawl commands."""

COMMANDS: list = []
