"""pytest started ahead of the submission (sandboxes/prestart/serve, SANDBOX_PRESTART=warm|cold).

Imports pytest (and, as the grader, installs the bridge's finder), runs our own fixed suite once
with the run's configuration in a folder of its own and nothing printed when the host asks for it
(a `warm` line), then waits for the go on stdin and runs pytest.main with the arguments it was given in the run dir. The container
serves one run, so nothing loaded here ever sees a second submission.

    python3 -I -B /opt/runner/prestart.py grader|single warm|cold <run dir> <pytest arguments>
"""
import importlib
import os
import shutil
import sys
import tempfile

WARMUP = '/opt/runner/warmup'


def _warm_up(args):
    ini = args[args.index('-c') + 1] if '-c' in args else '/opt/runner/pytest.ini'
    tmp = tempfile.mkdtemp(prefix='warmup-')
    code = os.path.join(tmp, 'code')
    os.mkdir(code)
    for f in os.listdir(WARMUP):
        shutil.copy(os.path.join(WARMUP, f), code)
    path_before = list(sys.path)
    modules_before = set(sys.modules)
    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    os.dup2(null, 2)
    try:
        import pytest

        pytest.main(['-c', ini, '--rootdir=' + code, '-p', 'no:cacheprovider', '--junitxml=' + os.path.join(tmp, 'junit.xml'), code])
    except BaseException:  # noqa: B902 - a failed warm-up only means a slower run
        pass
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        for fd in (null,) + saved:
            os.close(fd)
    # Nothing of the warm-up stays importable: its folder leaves sys.path, its modules sys.modules.
    # The run's folders (pythonpath of the ini) did not exist during the warm-up: forget the
    # finders cached for them.
    sys.path[:] = path_before
    sys.path_importer_cache.clear()
    importlib.invalidate_caches()
    for name in set(sys.modules) - modules_before:
        f = getattr(sys.modules[name], '__file__', None) or ''
        if f.startswith(tmp + os.sep) or name.startswith('test_sandbox_warmup'):
            del sys.modules[name]
    shutil.rmtree(tmp, ignore_errors=True)


def main():
    role, run_dir, args = sys.argv[1], sys.argv[3], sys.argv[4:]
    if role == 'grader':
        sys.path.insert(0, '/opt/runner/bridge')
        import bridge

        bridge.install_grader()
        sys.path.pop(0)
    import pytest

    # The lines of the go FIFO: `warm` (the host has a free slot: the warm-up run now, at most
    # once) or `go` (the files are there). A container taken in a backlog is never asked to warm
    # up, so its warm-up never delays a run or takes CPU from one.
    warmed = False
    while True:
        line = sys.stdin.readline().strip()
        if line == 'go':
            break
        if line != 'warm':
            os._exit(125)
        if not warmed:
            _warm_up(args)
        warmed = True
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    if run_dir:
        os.chdir(run_dir)
    sys.exit(pytest.main(args))


main()
