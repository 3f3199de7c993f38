"""Per persona: operations tested, cases run (and the operations that got fewer than ``--max-examples``),
failures by kind (from schemathesis's NDJSON event stream); then the total. Exits 1 on any failure, on a
scenario that ended in an error (the generator or the client gave up: nothing was checked), or when a
persona's run did not finish. An operation with few possible inputs gets fewer cases than
``--max-examples``: Hypothesis stops once it keeps drawing cases it already ran (one integer id and an
enum, say). The coverage phase's probes of methods an operation does not have (TRACE, DELETE on a list …)
are not counted.

    summary.py <run directory> <persona>…   (the layout tests/schemathesis/run.sh writes)
"""

import base64
import json
import os
import sys
import xml.etree.ElementTree as ElementTree
from collections import Counter
from pathlib import Path


def schema_operations(schema_path: Path) -> set[str]:
    """"METHOD /path" of every operation the schema declares."""
    paths = json.loads(schema_path.read_text())["paths"]
    return {f"{method.upper()} {path}" for path, item in paths.items() for method in item if method.upper() in METHODS}


def read_run(report_dir: Path) -> dict:
    """Operations, cases and failures of one schemathesis run, from its NDJSON report."""
    operations, failures, examples, per_operation, errors = set(), Counter(), {}, Counter(), []
    cases = 0
    finished = False
    for path in sorted(report_dir.glob("*.ndjson")):
        for line in path.read_text().splitlines():
            try:
                event = json.loads(line)
            except json.JSONDecodeError:  # the last line of a run that was killed mid-write
                continue
            (kind, body), = event.items()
            if kind in ("EngineFinished", "SuiteFinished"):
                finished = True
            if kind not in ("ScenarioFinished", "FuzzScenarioFinished"):
                continue
            recorder = body.get("recorder") or {}
            label = recorder.get("label", "?")
            if body.get("status") != "skip":
                operations.add(label.split(" -> ")[0])
            if body.get("status") == "error":
                errors.append(label)
            cases += len(recorder.get("cases", {}))
            for case in recorder.get("cases", {}).values():
                value = (case or {}).get("value") or {}
                per_operation[f"{value.get('method', '?')} {value.get('path', '?')}"] += 1
            for case_id, checks in recorder.get("checks", {}).items():
                for check in checks:
                    if check.get("status") != "failure":
                        continue
                    failure = check["failure_info"]["failure"]
                    key = (label, failure.get("title", check["name"]))
                    failures[key] += 1
                    if key not in examples:
                        examples[key] = describe(recorder, case_id, failure)
    return {"operations": operations, "cases": cases, "failures": failures, "examples": examples,
            "finished": finished, "per_operation": per_operation, "errors": errors}


METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE"}


def junit_notes(report_dir: Path) -> dict[str, list[str]]:
    """Per operation, what the JUnit report says of its errors and skips (the NDJSON stream only says
    that a scenario ended in an error; the message — a timeout, a health check … — is here)."""
    notes: dict[str, list[str]] = {}
    for path in sorted(report_dir.glob("*.xml")):
        try:
            root = ElementTree.parse(path).getroot()
        except ElementTree.ParseError:  # a run that was killed leaves it empty
            continue
        for case in root.iter("testcase"):
            for kind in ("error", "skipped"):
                for element in case.iter(kind):
                    text = (element.get("message") or element.text or "").strip().replace("\n", " ")
                    notes.setdefault(case.get("name", "?"), []).append(f"{kind}: {text[:400]}")
    return notes


def describe(recorder: dict, case_id: str, failure: dict) -> str:
    case = (recorder.get("cases", {}).get(case_id) or {}).get("value", {})
    response = (recorder.get("interactions", {}).get(case_id) or {}).get("response") or {}
    content = response.get("content", {}).get("$base64", "")
    body = base64.b64decode(content).decode("utf-8", "replace")[:300] if content else ""
    request = {k: case.get(k) for k in ("method", "path", "path_parameters", "query", "body") if case.get(k)}
    return (f"{failure.get('message', '')[:300]}\n      request: {json.dumps(request, ensure_ascii=False)[:400]}"
            f"\n      answer {response.get('status_code')}: {body}")


def main(argv: list[str]) -> int:
    run_dir, personas = Path(argv[1]), argv[2:]
    max_examples = int(os.environ.get("FUZZ_MAX_EXAMPLES", "100"))
    declared = schema_operations(run_dir / "schema.json")
    status, total = 0, 0
    for persona in personas:
        run = read_run(run_dir / f"report-{persona}")
        rc = (run_dir / f"rc-{persona}").read_text().strip() if (run_dir / f"rc-{persona}").exists() else "?"
        failed = sum(run["failures"].values())
        total += run["cases"]
        # the coverage phase also tries methods an operation does not have (DELETE on a list, TRACE …)
        counts = {operation: run["per_operation"][operation] for operation in declared}
        few = sorted((count, operation) for operation, count in counts.items() if count < max_examples)
        print(f"{persona}: {len(run['operations'])} operations, {run['cases']} cases, {failed} failures,"
              f" {len(run['errors'])} errors (schemathesis exit {rc}); {len(few)} operations under"
              f" {max_examples} cases: " + ("、".join(f"{op} {count}" for count, op in few[:6]) or "none"))
        notes = junit_notes(run_dir / f"report-{persona}")
        for label in run["errors"]:
            print(f"  error (nothing checked): {label}")
        for operation in sorted(set(run["errors"]) | {op for count, op in few if count == 0}):
            for note in notes.get(operation, []):
                print(f"  {operation}: {note}")
        for (label, title), count in run["failures"].most_common():
            print(f"  {count} × {title}: {label}\n      {run['examples'][(label, title)]}")
        if failed or run["errors"] or not run["finished"] or rc != "0":
            status = 1
            if not failed:
                print(f"  the run did not finish cleanly: see schemathesis-{persona}.log")
    print(f"total: {total} cases over {len(personas)} personas")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv))
