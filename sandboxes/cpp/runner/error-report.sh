#!/bin/bash
# error-report.sh <case name> <message file> <report path> [suite]
# Writes a JUnit report of one `error` test case whose message is the file's text (the compiler's
# or the runner's output; its last 16 KB), escaped for XML, control characters removed.
set -u
name=$1 file=$2 report=$3 suite=${4:-build}
esc() { tr -d '\000-\010\013\014\016-\037' | sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g' -e 's/"/\&quot;/g'; }
first=$( (grep -m1 -E '[Ee]rror' "$file" 2>/dev/null || head -n1 "$file" 2>/dev/null) | cut -c1-200 | esc)
{
  echo '<?xml version="1.0" encoding="UTF-8"?>'
  echo "<testsuite name=\"$(printf %s "$suite" | esc)\" tests=\"1\" failures=\"0\" errors=\"1\">"
  echo "<testcase classname=\"$(printf %s "$suite" | esc)\" name=\"$(printf %s "$name" | esc)\" time=\"0\"><error message=\"${first:-$name failed}\">"
  tail -c 16384 "$file" 2>/dev/null | iconv -f UTF-8 -t UTF-8 -c 2>/dev/null | esc
  echo '</error></testcase></testsuite>'
} > "$report"
