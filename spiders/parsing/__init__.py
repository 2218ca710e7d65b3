"""Pure functions html -> fields, one module per page type; used by the spiders and `newsmon extract`."""
