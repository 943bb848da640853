"""libtest JSON events (stdin, from every test binary `cargo test` ran) -> JUnit XML.
Each test binary is one suite, named after cargo's "Running <target>" / "Doc-tests <crate>" line
(read from cargo's stderr, argv[1]); every test is one case (ignored = skipped, a
#[should_panic] test that panicked = passed, as libtest decides). A build that failed before any
test ran is one `error` case with the compiler's message. Test output goes to stderr."""
import json
import re
import sys
import time
from xml.sax.saxutils import escape, quoteattr

cargo_file, report_file = sys.argv[1], sys.argv[2]
_BAD = dict.fromkeys(c for c in range(32) if c not in (9, 10, 13))


def clean(s):
    return s.translate(_BAD).replace("\ufffe", "").replace("\uffff", "")


suites = []  # [{"cases": [...]}]
current = None
for raw in sys.stdin:
    try:
        ev = json.loads(raw)
    except ValueError:
        sys.stderr.write(raw)
        continue
    if not isinstance(ev, dict):
        sys.stderr.write(raw)
        continue
    kind, event = ev.get("type"), ev.get("event")
    if kind == "suite" and event == "started":
        current = {"cases": [], "running": {}}
        suites.append(current)
        continue
    if kind != "test" or current is None:
        continue
    name = ev.get("name", "?")
    if event == "started":
        current["running"][name] = time.time()
        continue
    status = {"ok": "passed", "failed": "failed", "ignored": "skipped", "timeout": None}.get(event)
    if status is None:
        continue
    out = ev.get("stdout") or ev.get("message") or ""
    if event == "failed" and ev.get("message") and ev.get("stdout"):
        out = ev["stdout"] + "\n" + ev["message"]
    if out:
        sys.stderr.write(f"---- {name} ----\n{out}\n")
    began = current["running"].pop(name, None)
    secs = ev.get("exec_time")
    if secs is None:
        secs = time.time() - began if began else 0.0
    current["cases"].append((name, status, out, float(secs)))

try:
    with open(cargo_file, encoding="utf-8", errors="replace") as f:
        cargo_text = f.read()
except OSError:
    cargo_text = ""

# cargo names each binary it runs, in order: "Running unittests src/lib.rs (target/...)",
# "Running tests/foo.rs (target/...)", "Doc-tests crate".
labels = []
for line in cargo_text.splitlines():
    m = re.match(r"\s*Running (?:unittests )?(\S+)", line)
    if m:
        labels.append(m.group(1))
        continue
    m = re.match(r"\s*Doc-tests (\S+)", line)
    if m:
        labels.append("doctests " + m.group(1))

named = []
for i, s in enumerate(suites):
    label = labels[i] if i < len(labels) else f"binary {i + 1}"
    cases = list(s["cases"])
    for name in s["running"]:  # started and never finished: the binary died (abort, exit, kill)
        cases.append((name, "failed", "the test binary stopped during this test (process abort or exit)", 0.0))
    named.append((label, cases))

errors = re.findall(r"^error(?:\[E\d+\])?: .*$", cargo_text, re.M)
compile_failed = bool(errors) and ("could not compile" in cargo_text or "error: no" in cargo_text or not suites)
if compile_failed:
    # rustc's messages, without cargo's progress lines
    msg = "\n".join(l for l in cargo_text.splitlines() if not re.match(r"\s*(Compiling|Running|Finished|Doc-tests|Blocking)\b", l))
    named.insert(0, ("build", [("build", "error", msg.strip()[-16384:], 0.0)]))
elif not named:
    named.append(("build", [("cargo test", "error", (cargo_text.strip() or "cargo test ran no test binary")[-16384:], 0.0)]))

out = ['<?xml version="1.0" encoding="UTF-8"?>', "<testsuites>"]
for label, cases in named:
    if not cases:
        continue
    count = lambda k: sum(1 for c in cases if c[1] == k)
    out.append(f'<testsuite name={quoteattr(clean(label))} tests="{len(cases)}" failures="{count("failed")}" errors="{count("error")}" skipped="{count("skipped")}">')
    for name, status, msg, secs in cases:
        msg = clean(msg)
        head = f"<testcase classname={quoteattr(clean(label))} name={quoteattr(clean(name))} time=\"{secs:.3f}\""
        first = next((l.strip() for l in msg.splitlines() if "panicked at" in l or l.strip().startswith("error")), msg.strip().split("\n")[0] if msg.strip() else "")[:200]
        if status == "passed":
            out.append(head + "/>")
        elif status == "skipped":
            out.append(head + f"><skipped message={quoteattr(first)}/></testcase>")
        else:
            tag = "failure" if status == "failed" else "error"
            out.append(head + f"><{tag} message={quoteattr(first)}>{escape(msg)}</{tag}></testcase>")
    out.append("</testsuite>")
out.append("</testsuites>")
with open(report_file, "w", encoding="utf-8") as f:
    f.write("\n".join(out) + "\n")
