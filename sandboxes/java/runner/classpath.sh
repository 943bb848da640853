#!/bin/sh
# Prints the class path of the test run: JUnit Platform (launcher, console), Jupiter (api, engine,
# params), Vintage (JUnit 4 tests), AssertJ and their dependencies, as Debian installs them.
set -eu
cp=
for jar in junit-platform-console junit-platform-launcher junit-platform-engine junit-platform-commons \
  junit-platform-reporting junit-jupiter-api junit-jupiter-engine junit-jupiter-params junit-vintage-engine \
  junit4 hamcrest-core opentest4j opentest4j-reporting-events apiguardian-api picocli univocity-parsers \
  assertj-core byte-buddy; do
  f=/usr/share/java/$jar.jar
  if [ ! -f "$f" ]; then
    alt=$(ls /usr/share/java/$jar*.jar 2>/dev/null | head -1 || true)
    [ -n "$alt" ] || { echo "missing $f" >&2; exit 1; }
    f=$alt
  fi
  cp="${cp:+$cp:}$f"
done
echo "$cp"
