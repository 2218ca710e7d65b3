"""newsmon's monitor: configuration, CLI, diffing, topics, alerts, scheduler."""
