"""The `newsmon` subcommands, one module per family; each exposes COMMANDS for monitor.cli."""
