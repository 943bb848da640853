"""`go test -json` (stdin) -> JUnit XML. One test case per test, and per subtest: a test that has
subtests is reported through them (and itself only when it failed on its own). A package that
did not build is one `error` case carrying the compiler's message; a package that failed outside
any test (a panic in init, TestMain, os.Exit) is one `error` case with its output. Everything the
tests print is echoed to stderr as it arrives (the sandbox log)."""
import json
import sys
from xml.sax.saxutils import escape, quoteattr

MAX_OUT = 64 * 1024
build_file, report_file = sys.argv[1], sys.argv[2]


class Case:
    def __init__(self, pkg, name):
        self.pkg, self.name = pkg, name
        self.status = None
        self.elapsed = 0.0
        self.out = []
        self.size = 0

    def add(self, text):
        if self.size < MAX_OUT:
            self.out.append(text)
            self.size += len(text)


packages = {}  # pkg -> {"cases": {name: Case}, "order": [...], "status":..., "out": Case}


def pkg_of(name):
    if name not in packages:
        packages[name] = {"cases": {}, "order": [], "status": None, "out": Case(name, ""), "elapsed": 0.0}
    return packages[name]


for raw in sys.stdin:
    try:
        ev = json.loads(raw)
    except ValueError:
        sys.stderr.write(raw)
        continue
    if not isinstance(ev, dict):
        continue
    action, pkg, test = ev.get("Action"), ev.get("Package", ""), ev.get("Test")
    p = pkg_of(pkg)
    if action == "output":
        sys.stderr.write(ev.get("Output", ""))
        target = p["out"]
        if test:
            if test not in p["cases"]:
                p["cases"][test] = Case(pkg, test)
                p["order"].append(test)
            target = p["cases"][test]
        target.add(ev.get("Output", ""))
        continue
    if test:
        if test not in p["cases"]:
            p["cases"][test] = Case(pkg, test)
            p["order"].append(test)
        c = p["cases"][test]
        if action in ("pass", "fail", "skip"):
            c.status = action
            c.elapsed = float(ev.get("Elapsed") or 0)
    elif action in ("pass", "fail", "skip"):
        p["status"] = action
        p["elapsed"] = float(ev.get("Elapsed") or 0)

try:
    with open(build_file, encoding="utf-8", errors="replace") as f:
        build_text = f.read()
except OSError:
    build_text = ""

_BAD = dict.fromkeys(c for c in range(32) if c not in (9, 10, 13))


def clean(s):
    """Only characters XML 1.0 allows (test output may hold anything)."""
    return s.translate(_BAD).encode("utf-8", "replace").decode("utf-8").replace("\ufffe", "").replace("\uffff", "")


NOISE = ("=== RUN", "=== PAUSE", "=== CONT", "--- PASS", "--- FAIL", "--- SKIP")


def message(c):
    lines = [l for l in "".join(c.out).splitlines() if not l.lstrip().startswith(NOISE)]
    # go test indents a test's log lines by 4 spaces per level
    return clean("\n".join(l.strip() if l.startswith("    ") else l for l in lines).strip())


suites = []
for pkg, p in packages.items():
    cases = []
    names = p["order"]
    pkg_out = "".join(p["out"].out)
    build_failed = "[build failed]" in pkg_out or "[setup failed]" in pkg_out
    if build_failed or (p["status"] == "fail" and not names and "no test files" not in pkg_out):
        msg = clean(build_text.strip() or pkg_out.strip() or "the package did not build")
        cases.append(("build", "error", "the package did not build:\n" + msg, 0.0))
    any_failed = False
    died = None
    for name in names:
        c = p["cases"][name]
        children = [n for n in names if n.startswith(name + "/")]
        status = c.status
        if status is None:  # still running when the binary died (panic, os.Exit, timeout)
            status = "fail"
            c.out.append("\n" + pkg_out)
            died = died or name
        if children:
            if status != "fail" or any(p["cases"][n].status != "pass" and p["cases"][n].status != "skip" for n in children):
                continue
        if status == "fail":
            any_failed = True
        kind = {"pass": "passed", "fail": "failed", "skip": "skipped"}[status]
        cases.append((name, kind, message(c), c.elapsed))
    if not died and any(l.startswith("panic: ") for c in [p["out"]] + list(p["cases"].values()) for l in "".join(c.out).splitlines()):
        died = "a test (it panicked)"
    if died:
        # The tests after it never ran (their results, the control test's too, are missing).
        cases.append(("(package)", "error", f"the test binary stopped during {died} (a panic or an exit); the tests after it did not run", 0.0))
    elif p["status"] == "fail" and not any_failed and not build_failed and names:
        cases.append(("(package)", "error", "the test binary failed outside any test:\n" + clean(pkg_out.strip()), p["elapsed"]))
    if cases:
        suites.append((pkg, cases))

if not suites and build_text.strip():
    suites.append(("go", [("build", "error", "go test could not run:\n" + clean(build_text.strip()), 0.0)]))

out = ['<?xml version="1.0" encoding="UTF-8"?>', "<testsuites>"]
for pkg, cases in suites:
    fails = sum(1 for c in cases if c[1] == "failed")
    errs = sum(1 for c in cases if c[1] == "error")
    skips = sum(1 for c in cases if c[1] == "skipped")
    out.append(f'<testsuite name={quoteattr(pkg)} tests="{len(cases)}" failures="{fails}" errors="{errs}" skipped="{skips}">')
    for name, kind, msg, elapsed in cases:
        head = f'<testcase classname={quoteattr(clean(pkg))} name={quoteattr(clean(name))} time="{elapsed:.3f}"'
        first = msg.splitlines()[0][:200] if msg else ""
        if kind == "passed":
            out.append(head + "/>")
        elif kind == "skipped":
            out.append(head + f"><skipped message={quoteattr(first)}/></testcase>")
        else:
            tag = "failure" if kind == "failed" else "error"
            out.append(head + f"><{tag} message={quoteattr(first)}>{escape(msg)}</{tag}></testcase>")
    out.append("</testsuite>")
out.append("</testsuites>")
with open(report_file, "w", encoding="utf-8") as f:
    f.write("\n".join(out) + "\n")
