#!/usr/bin/env python3
"""Read the log of an Odoo test run and decide whether it passed.

Odoo reports "0 failed" when browser tests were skipped (no Chromium, no
websocket-client) and reports its Odoo 19 deprecations only as warnings, so
the exit status of odoo-bin is not enough. This fails on:

* a failed or errored test, or no final test report at all (Odoo crashed);
* any ERROR or CRITICAL log record;
* any WARNING logged by an Atelier addon or mentioning one (e.g. an ignored
  ``_sql_constraints``, a model without access rules, a bad view);
* any skipped test;
* an Atelier addon that ran no test.

Prints one line per problem, then ``ODOO_RESULT passed=N failed=N skipped=N``.
Exit status: 0 when clean, 1 otherwise.
"""

import argparse
import re
import sys
from collections import Counter

RECORD_RE = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ "
    r"(?P<level>DEBUG|INFO|WARNING|ERROR|CRITICAL) (?P<db>\S+) "
    r"(?P<logger>[\w.\-]+): (?P<message>.*)$"
)
REPORT_RE = re.compile(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests")
STARTING_RE = re.compile(r"^Starting (\S+) \.\.\.")
SKIPPED_RE = re.compile(r"^skipped (\S+) : (.*)")
TEST_LOGGER_RE = re.compile(r"^odoo\.addons\.(?P<addon>\w+)\.tests\b")


def parse_records(lines):
    record = None
    for line in lines:
        match = RECORD_RE.match(line.rstrip("\n"))
        if match:
            if record:
                yield record
            record = dict(match.groupdict(), extra=[])
        elif record is not None:
            record["extra"].append(line.rstrip("\n"))
    if record:
        yield record


def is_ours(record, addons_dir):
    text = "\n".join([record["message"], *record["extra"]])
    if record["logger"].startswith("odoo.addons.atelier"):
        return True
    if addons_dir and addons_dir in text:
        return True
    return "atelier" in text.lower()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("logfile")
    parser.add_argument("--addons", required=True, help="comma-separated addons")
    parser.add_argument("--addons-dir", default="", help="path of the repo's addons")
    parser.add_argument(
        "--allow-no-tests",
        action="store_true",
        help="do not require every addon to run tests (a tag selection)",
    )
    args = parser.parse_args(argv)
    addons = [a for a in args.addons.split(",") if a]

    started = Counter()
    skipped = []
    problems = []
    report = None
    with open(args.logfile, encoding="utf-8", errors="replace") as handle:
        for record in parse_records(handle):
            message = record["message"]
            test_logger = TEST_LOGGER_RE.match(record["logger"])
            match = REPORT_RE.search(message)
            if match and "when loading database" in message:
                report = tuple(int(g) for g in match.groups())
            if test_logger and STARTING_RE.match(message):
                started[test_logger["addon"]] += 1
            skip = SKIPPED_RE.match(message)
            if skip:
                skipped.append(f"{record['logger']}: {skip[1]} ({skip[2]})")
            level = record["level"]
            if level in ("ERROR", "CRITICAL"):
                first = message if len(message) < 300 else message[:300] + "…"
                problems.append(f"{level} {record['logger']}: {first}")
            elif level == "WARNING" and is_ours(record, args.addons_dir):
                problems.append(f"WARNING {record['logger']}: {message[:300]}")
            elif level == "WARNING" and (
                "Chrome" in message or "websocket" in message.lower()
            ):
                problems.append(f"WARNING {record['logger']}: {message[:300]}")

    if report is None:
        problems.append("no final test report in the log: Odoo did not finish loading")
        failed_tests, errored_tests, total = 0, 0, sum(started.values())
    else:
        failed_tests, errored_tests, total = report
    for item in skipped:
        problems.append(f"SKIPPED {item}")
    if not args.allow_no_tests:
        for addon in addons:
            if not started[addon]:
                problems.append(f"NO TESTS: addon {addon} ran no test")

    for problem in problems:
        print(f"  - {problem}")
    bad_tests = failed_tests + errored_tests
    passed = max(total - bad_tests - len(skipped), 0)
    print("  tests per addon: " + ", ".join(f"{a}={started[a]}" for a in addons))
    harness_failures = 0 if not problems else 1
    failed = bad_tests + (harness_failures if not bad_tests else 0)
    print(f"ODOO_RESULT passed={passed} failed={failed} skipped={len(skipped)}")
    return 1 if (problems or bad_tests) else 0


if __name__ == "__main__":
    sys.exit(main())
