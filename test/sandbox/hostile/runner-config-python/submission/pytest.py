print("FAKE PYTEST")
raise SystemExit(0)
