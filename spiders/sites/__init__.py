"""Built-in site profiles, reached by name from `[sources.NAME] profile`; "" is the generic profile."""

from __future__ import annotations

from spiders.profile import GENERIC, SiteProfile
from spiders.sites import spbpu

PROFILES: dict[str, SiteProfile] = {"": GENERIC, spbpu.PROFILE.name: spbpu.PROFILE}
# Sources every configuration has unless it disables them: name -> [sources.NAME] defaults.
BUILTIN_SOURCES: dict[str, dict[str, str]] = {**spbpu.SOURCES}


def profile(name: str) -> SiteProfile:
    """The built-in profile called `name`; KeyError names the known ones."""
    try:
        return PROFILES[name]
    except KeyError:
        raise KeyError(f"unknown profile {name!r}; built-in: {', '.join(n for n in PROFILES if n)}") from None
