"""pytest started ahead of the submission (sandboxes/prestart/serve, SANDBOX_PRESTART=warm|cold).

Imports pytest (and, as the grader, installs the bridge's finder), runs our own fixed suite once
with the run's configuration in a folder of its own and nothing printed (warm), then waits for the
go on stdin and runs pytest.main with the arguments it was given in the run dir. The container
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


def _pending():
    """The go line when it has already been written, else None (never blocks)."""
    try:
        os.set_blocking(0, False)
        try:
            data = os.read(0, 64)
        finally:
            os.set_blocking(0, True)
    except OSError:  # BlockingIOError: nothing yet
        return None
    return data.decode('latin1') if data else ''


def main():
    role, warm, run_dir, args = sys.argv[1], sys.argv[2] == 'warm', sys.argv[3], sys.argv[4:]
    if role == 'grader':
        sys.path.insert(0, '/opt/runner/bridge')
        import bridge

        bridge.install_grader()
        sys.path.pop(0)
    import pytest

    # A container taken at once (a backlog) already has its go: no warm-up then, it would only
    # delay the run it was meant to speed up.
    line = _pending() if warm else None
    if line is None:
        if warm:
            _warm_up(args)
        line = sys.stdin.readline()
    if line.strip() != 'go':
        os._exit(125)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    if run_dir:
        os.chdir(run_dir)
    sys.exit(pytest.main(args))


main()
