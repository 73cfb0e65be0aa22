# SPDX-License-Identifier: GPL-2.0-only
"""lab/results.py: TWINMON-RESULT blocks (docs/lab.md) from real consoles and made-up ones."""
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "lab"))

import results  # noqa: E402

FIXTURES = os.path.join(HERE, "fixtures")


def crlf(*lines):
    return "".join(line + "\r\n" for line in lines)


class RealCaptures(unittest.TestCase):
    def test_cyclictest(self):
        """com1 of tests/qemu/twin-linux-lab.sh: firmware escapes, kernel lines, cyclictest's
        own error line before the block, CR LF."""
        cap = results.parse_file(os.path.join(FIXTURES, "com1-cyclictest.log"))
        self.assertEqual(cap.warnings, [])
        self.assertEqual(len(cap.blocks), 1)
        b = cap.last()
        self.assertEqual((b["workload"], b["version"], b["complete"]), ("cyclictest", "1", True))
        v = b["values"]
        self.assertEqual(list(v)[:3], ["exit", "wall_s", "threads"])
        self.assertEqual((v["samples"], v["overflows"], v["p99_us"], v["status"]), ("433", "366", "2000", "ok"))
        self.assertEqual(sum(b["hist_us"].values()) + int(v["overflows"]), int(v["samples"]))
        self.assertEqual(b["hist_us"][312], 2)
        self.assertEqual(v["hist_us.312"], "2")
        self.assertEqual(min(b["hist_us"]), int(v["min_us"]))

    def test_stress_ng(self):
        b = results.parse_file(os.path.join(FIXTURES, "com2-stress-ng.log")).last()
        self.assertEqual(b["workload"], "stress-ng")
        self.assertEqual(b["values"]["stressor.cpu.bogo_ops_per_second_real_time"], "77.167594")
        self.assertEqual(b["hist_us"], {})
        self.assertEqual(results.number(b["values"]["stressor.cpu.bogo_ops"]), 465)


class MadeUp(unittest.TestCase):
    def parse(self, text):
        return results.parse(text.replace("\r\n", "\n").split("\n"), "c.log")

    def test_kernel_line_inside(self):
        cap = self.parse(crlf("TWINMON-RESULT-BEGIN workload=cyclictest version=1", "exit=0",
                              "[    9.123456] random: crng init done", "\x1b[0msamples=3", "hist_us.7=3",
                              "TWINMON-RESULT-END"))
        b = cap.last()
        self.assertEqual(b["values"], {"exit": "0", "samples": "3", "hist_us.7": "3"})
        self.assertEqual(b["hist_us"], {7: 3})
        self.assertEqual(cap.warnings, ["c.log:3: note: skipped inside a result block: [    9.123456] random: crng init done"])

    def test_garbled_bucket(self):
        """A bucket that is not a count (infinity, text, negative) is left out with a warning."""
        cap = self.parse(crlf("TWINMON-RESULT-BEGIN workload=cyclictest version=1", "hist_us.5=inf",
                              "hist_us.6=1e999", "hist_us.7=x", "hist_us.8=-2", "hist_us.9=4",
                              "TWINMON-RESULT-END", "TWINMON-INIT: timer_irqs 812"))
        self.assertEqual(cap.last()["hist_us"], {9: 4})
        self.assertEqual(len([w for w in cap.warnings if "is not a count" in w]), 4)
        self.assertEqual(cap.final_timer_irqs, 812)

    def test_cut_short(self):
        cap = self.parse(crlf("TWINMON-RESULT-BEGIN workload=stress-ng version=1", "exit=0"))
        self.assertIsNone(cap.last())
        self.assertFalse(cap.last(complete=False)["complete"])
        self.assertEqual(cap.warnings, ["c.log: warning: the block at line 1 has no END (the capture stops first)"])

    def test_last_of_two(self):
        cap = self.parse(crlf("TWINMON-RESULT-BEGIN workload=stress-ng version=1", "exit=1", "TWINMON-RESULT-END",
                              "TWINMON-RESULT-BEGIN workload=stress-ng version=1", "exit=0", "TWINMON-RESULT-END"))
        self.assertEqual(len(cap.blocks), 2)
        self.assertEqual((cap.last()["values"]["exit"], cap.last()["line"]), ("0", 4))

    def test_key_twice(self):
        cap = self.parse(crlf("TWINMON-RESULT-BEGIN workload=cyclictest version=1", "exit=0", "exit=3",
                              "TWINMON-RESULT-END"))
        self.assertEqual(cap.last()["values"]["exit"], "0")
        self.assertEqual(len(cap.warnings), 1)
        self.assertIn("c.log:3: warning: 'exit' again", cap.warnings[0])

    def test_lines_outside_ignored(self):
        cap = self.parse(crlf("exit=9", "TWINMON-INIT: done"))
        self.assertEqual((cap.blocks, cap.warnings), ([], []))

    def test_other_version_refused(self):
        with self.assertRaises(results.ResultsError) as e:
            self.parse(crlf("noise", "TWINMON-RESULT-BEGIN workload=cyclictest version=2", "TWINMON-RESULT-END"))
        self.assertEqual(str(e.exception), "c.log:2: TWINMON-RESULT-BEGIN version=2: this reader knows "
                                           "version 1 only (a newer twinmon? update lab/results.py)")

    def test_number(self):
        self.assertEqual([results.number(x) for x in ("12", "-3", "77.5", "ok", None, "nan")],
                         [12, -3, 77.5, None, None, None])


if __name__ == "__main__":
    unittest.main()
