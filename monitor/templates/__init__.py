"""Jinja2 templates of the alert emails."""
