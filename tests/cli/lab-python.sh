#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The lab's Python (lab/: the result and statistics parsers, scripts/lab-report) under Debian
# 12's /usr/bin/python3: every tests/lab/test_*.py, with python's unittest; any failure or
# error fails this test. The report's test draws its plots with gnuplot (gnuplot-nox).
set -euo pipefail
cd "$(dirname "$0")/../.."

py=/usr/bin/python3
[ -x "$py" ] || { echo "FAIL: no $py (scripts/setup)"; exit 1; }
command -v gnuplot >/dev/null || command -v gnuplot-nox >/dev/null ||
  { echo "FAIL: no gnuplot (Debian package gnuplot-nox; scripts/setup installs it)"; exit 1; }
export PYTHONDONTWRITEBYTECODE=1
if "$py" -m unittest discover -s tests/lab -p 'test_*.py' -v 2>&1; then
  echo ok
else
  echo "FAIL: tests/lab (python unittest)"
  exit 1
fi
