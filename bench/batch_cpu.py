"""Run one crawl command and append its own CPU-seconds to a JSON-lines file (the scale bench's
`NEWSMON_CRAWL_COMMAND` wraps each batch with it, so idle batches and batches with news are told apart).

    python -m bench.batch_cpu OUT.jsonl -- python -m monitor crawl --source A --source B ...
"""

from __future__ import annotations

import json
import resource
import signal
import subprocess
import sys
import time


def main(argv: list[str]) -> int:
    out, command = argv[0], argv[argv.index("--") + 1:]
    sources = [command[i + 1] for i, arg in enumerate(command[:-1]) if arg == "--source"]
    start = time.time()
    signal.signal(signal.SIGTERM, lambda *_: None)  # the group's SIGTERM is for the crawl; report after it
    code = subprocess.call(command)  # same process group: the daemon's kill reaches the crawl too
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(out, "a", encoding="utf-8") as sink:
        sink.write(json.dumps({"sources": sources, "cpu_s": usage.ru_utime + usage.ru_stime, "start": start,
                               "end": time.time(), "returncode": code, "max_rss_mb": usage.ru_maxrss / 1024}) + "\n")
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
