#!/usr/bin/env bash
# End-to-end throughput of the core engine on a JSONL corpus; prints one JSON line of figures on stdout.
#
#   jobs/bench.sh --model <dir|uri|hf://owner/name|default> --corpus ../shared/data/corpus/en_docs.jsonl \
#                 [--labels person,organization,location] [--limit N] [--batchWords N --batchTokens N] [--intraOpThreads N]
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/gliner.sh" bench "$@"
