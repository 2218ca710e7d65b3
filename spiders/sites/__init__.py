"""Per-site selectors, section names and date formats: a markup change is a one-file fix."""
