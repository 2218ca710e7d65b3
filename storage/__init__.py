"""newsmon's SQLite archive: schema migrations, the write side (archive), the read side (queries)."""
