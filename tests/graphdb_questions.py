"""Ask a Kuzu-family database loaded from a build the twelve named Cypher questions, in a process of its own.

Kuzu and LadybugDB wrap the same C++ library and cannot both be imported into one Python
process, so the test suite (which holds LadybugDB) asks Kuzu through this module:

    python -m tests.graphdb_questions kuzu CSV_DIR DB_PATH < questions.json > answers.json

stdin: a JSON list of [question name, parameters]; stdout: {"labels": {label: nodes},
"types": {type: relationships}, "answers": [rows per question]}, dates as ISO text.
"""

from __future__ import annotations

import datetime
import json
import sys
from pathlib import Path
from typing import Any

from kg import cypher


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value.isoformat()
    raise TypeError(f"cannot send {value!r} as JSON")


def main(argv: list[str]) -> None:
    engine, csv_dir, db_path = argv
    questions = json.load(sys.stdin)
    with cypher.load(Path(csv_dir), Path(db_path), engine=engine) as db:
        _, labels = db.run("MATCH (n) RETURN label(n), count(*)")
        _, types = db.run("MATCH ()-[r]->() RETURN label(r), count(*)")
        answers = [db.run(cypher.named_query(name), params)[1] for name, params in questions]
    json.dump({"labels": dict(labels), "types": dict(types), "answers": answers}, sys.stdout, default=_plain,
              ensure_ascii=False)


if __name__ == "__main__":
    main(sys.argv[1:])
