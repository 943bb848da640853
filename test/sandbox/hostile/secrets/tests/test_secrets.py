from solution import harvest

FORBIDDEN = ["HIRING_FAKE_SECRET", "DATABASE_URL", "REDIS_URL", "SESSION_SECRET", "DOCKER_HOST", "ADMIN_PASSWORD", "SMTP_URL"]


def test_no_host_secrets():
    found = harvest()
    assert [k for k in FORBIDDEN if k in found] == []


def test_only_the_runner_environment():
    found = harvest()
    assert set(found) <= {
        "HOME", "TMPDIR", "LANG", "PATH", "CI", "HOSTNAME", "PWD", "OLDPWD",
        "PYTHONDONTWRITEBYTECODE", "PYTHONUNBUFFERED", "PYTEST_DISABLE_PLUGIN_AUTOLOAD",
        "PYTEST_CURRENT_TEST", "PYTEST_VERSION",
    }
