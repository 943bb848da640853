"""CTest's JUnit report (argv[1]) -> our JUnit report (argv[2]): one case per CTest test (with
gtest_discover_tests / catch_discover_tests, one per GoogleTest or Catch2 test case), the test's
output as the failure message, disabled and not-run tests as skipped."""
import re
import sys
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape, quoteattr

_BAD = dict.fromkeys(c for c in range(32) if c not in (9, 10, 13))


def clean(s):
    return (s or "").translate(_BAD).replace("\ufffe", "").replace("\uffff", "")


NOISE = ("[==========]", "[----------]", "Running main()", "Note: Google Test filter", "[ RUN      ]", "[       OK ]")

root = ET.parse(sys.argv[1]).getroot()
cases = []
for tc in root.iter("testcase"):
    name = tc.get("name", "?")
    status = tc.get("status", "")
    out = "".join(e.text or "" for e in tc.findall("system-out"))
    lines = [l for l in clean(out).splitlines() if not l.startswith(NOISE) and l.strip()]
    msg = "\n".join(lines)[-16384:]
    failure = tc.find("failure")
    skipped = tc.find("skipped")
    if failure is not None or status == "fail":
        kind = "failed"
        detail = failure.get("message", "") if failure is not None else ""
        if detail and detail != "Failed":  # Timeout, SEGFAULT, Subprocess aborted...
            msg = f"{detail}\n{msg}"
    elif skipped is not None or status in ("disabled", "notrun"):
        kind = "skipped"
        msg = skipped.get("message", "") if skipped is not None else status
    elif re.search(r"^\[=+\] Running ", out, re.M) and not re.search(r"^\[  PASSED  \] ", out, re.M):
        # GoogleTest started and never printed its summary, yet the process exited 0: it did not
        # end through the framework's own exit (the code under test called exit/_Exit).
        kind = "failed"
        msg = "the test process ended with status 0 before GoogleTest finished (an exit from the code under test?)\n" + msg
    elif re.search(r"^(Filters: |Randomness seeded to)", out, re.M) and not re.search(r"^(All tests passed|test cases:)", out, re.M):
        kind = "failed"
        msg = "the test process ended with status 0 before Catch2 finished (an exit from the code under test?)\n" + msg
    else:
        kind = "passed"
    cases.append((name, kind, msg, tc.get("time", "0")))

out = ['<?xml version="1.0" encoding="UTF-8"?>']
count = lambda k: sum(1 for c in cases if c[1] == k)
out.append(f'<testsuite name="ctest" tests="{len(cases)}" failures="{count("failed")}" errors="0" skipped="{count("skipped")}">')
dumped = {}
for name, kind, msg, t in cases:
    # gtest_discover_tests names value-parameterized cases by their values, pointers included
    # ("0x55e3... pointing to \"racecar\""): the address changes every build, so it goes.
    name = re.sub(r"0x[0-9a-f]+ pointing to ", "", name)
    # A parameter type GoogleTest cannot print (no operator<< or PrintTo) is named by a dump of
    # its bytes ("80-byte object <40-7D B4-49 ...>"), heap addresses included: a different name
    # every run. Such a case is named by its index instead, as GoogleTest itself numbers them.
    m = re.match(r"^(.*?/)\d+-byte object <.*$", name)
    if m:
        dumped[m.group(1)] = dumped.get(m.group(1), -1) + 1
        name = f"{m.group(1)}{dumped[m.group(1)]}"
    m = re.match(r"^([A-Za-z_][\w/]*)\.(.+)$", name)
    suite, short = (m.group(1), m.group(2)) if m else ("ctest", name)
    head = f'<testcase classname={quoteattr(clean(suite))} name={quoteattr(clean(short or name))} time={quoteattr(t)}'
    first = next((l for l in msg.splitlines() if "Failure" in l or "FAILED" in l or "error" in l.lower()), msg.split("\n")[0] if msg else "")[:200]
    if kind == "passed":
        out.append(head + "/>")
    elif kind == "skipped":
        out.append(head + f"><skipped message={quoteattr(clean(msg)[:200])}/></testcase>")
    else:
        out.append(head + f"><failure message={quoteattr(first)}>{escape(msg)}</failure></testcase>")
out.append("</testsuite>")
with open(sys.argv[2], "w", encoding="utf-8") as f:
    f.write("\n".join(out) + "\n")
