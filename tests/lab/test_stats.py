# SPDX-License-Identifier: GPL-2.0-only
"""lab/stats.py: TWINMON-STATS records (docs/lab.md) from a real capture and made-up lines."""
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "lab"))
sys.path.insert(0, HERE)

import fake_out  # noqa: E402
import stats  # noqa: E402

FIXTURE = os.path.join(HERE, "fixtures", "monitor-twin.log")
HEAD = "TWINMON-STATS v=1 scope=guest when=end tsc=100 guest=a"


class RealCapture(unittest.TestCase):
    """monitor.log of tests/qemu/twin-linux-lab.sh: each guest's and vCPU's record spans
    several lines."""

    def setUp(self):
        self.st = stats.parse_file(FIXTURE)

    def test_records_merged(self):
        self.assertEqual(self.st.warnings, [])
        self.assertEqual([r.name for r in self.st.records],
                         ["monitor", "guest.a", "vcpu.a.0", "guest.b", "vcpu.b.0", "cpu.0"])
        a = self.st.end_record("guest", guest="a")
        self.assertEqual(len(a.lines), 6)
        # Keys from the first, a middle and the last line of the record.
        self.assertEqual(a.get("exits"), 8578)
        self.assertEqual(a.get("exit.vintr"), 517)
        self.assertEqual(a.get("restarts"), 0)
        self.assertEqual(sum(v for k, v in a.values.items() if k.startswith("exit.")), a.get("exits"))
        self.assertEqual(self.st.end_record("monitor").get("tsc_khz"), 2619175)

    def test_identity_and_text_values(self):
        v = self.st.end_record("vcpu", guest="b", vcpu=0, cpu=0)
        self.assertEqual((v.scope, v.when, v.tsc, v.guest, v.vcpu, v.cpu), ("vcpu", "end", 105706796897, "b", 0, 0))
        self.assertEqual(v.header, "v=1 scope=vcpu when=end tsc=105706796897 guest=b vcpu=0 cpu=0")
        c = self.st.end_record("cpu", cpu=0)
        self.assertEqual(c.get("guests"), "a,b")
        self.assertEqual(c.get("runs"), 19067)

    def test_histograms(self):
        a = self.st.end_record("guest", guest="a")
        h = a.hist("irq_delay")
        self.assertEqual((h.count, h.sum, h.min, h.max), (1334, 16945326713, 2786, 52124592))
        self.assertEqual(sum(h.buckets.values()), h.count)
        self.assertEqual(h.buckets[24], 601)
        self.assertEqual(list(h.buckets), sorted(h.buckets))
        self.assertAlmostEqual(h.mean, 16945326713 / 1334)
        v = self.st.end_record("vcpu", guest="a", vcpu=0, cpu=0)
        self.assertEqual(sorted(v.hists), ["irq_delay", "slot"])
        self.assertEqual(sum(v.hist("slot").buckets.values()), v.get("slot_count"))
        self.assertIsNone(v.hist("nothing"))


class MadeUp(unittest.TestCase):
    def parse(self, text):
        return stats.parse(text.split("\n"), "m.log")

    def test_split_as_the_monitor_splits(self):
        """A long record cut at 240 bytes the way stats_line.c cuts it reads back whole."""
        pairs = [(f"key_{i}", i * 1000003) for i in range(60)] + fake_out.hist_pairs("slot", [5, 900, 70000])
        lines = fake_out.stats_lines("vcpu", "end", 7, " guest=a vcpu=0 cpu=1", pairs)
        self.assertGreater(len(lines), 3)
        self.assertTrue(all(len(x) <= fake_out.STATS_LINE_MAX for x in lines))
        st = self.parse("\n".join(lines))
        self.assertEqual(len(st.records), 1)
        self.assertEqual(list(st.records[0].values.items()), pairs)
        h = st.records[0].hist("slot")
        self.assertEqual((h.count, h.min, h.max, h.buckets), (3, 5, 70000, {2: 1, 9: 1, 16: 1}))

    def test_console_noise(self):
        st = self.parse(f"\x1b[0m{HEAD} exits=5\r\nboot noise\n{HEAD} cycles_guest=9\r")
        self.assertEqual(st.warnings, [])
        self.assertEqual(st.records[0].values, {"exits": 5, "cycles_guest": 9})

    def test_unknown_keys_and_scopes_kept(self):
        st = self.parse(f"{HEAD} exits=5 brand_new=x7\n"
                        "TWINMON-STATS v=1 scope=iommu when=end tsc=100 faults=3")
        self.assertEqual(st.records[0].get("brand_new"), "x7")
        self.assertEqual((st.records[1].name, st.records[1].get("faults")), ("iommu", 3))

    def test_zero_histogram(self):
        st = self.parse(f"{HEAD} slot_count=0")
        h = st.records[0].hist("slot")
        self.assertEqual((h.count, h.sum, h.buckets, h.mean), (0, 0, {}, None))

    def test_garbled_histogram(self):
        """Text where a histogram's count or sum belongs leaves that histogram out."""
        st = self.parse(f"{HEAD} irq_delay_count=2 irq_delay_sum=1x2 slot_count=z sw_metered=5")
        r = st.records[0]
        self.assertIsNone(r.hist("irq_delay"))
        self.assertIsNone(r.hist("slot"))
        self.assertEqual(r.hists, {})

    def test_emissions_kept_apart(self):
        """Equal headers merge; another tsc (another emission) is another record."""
        st = self.parse("TWINMON-STATS v=1 scope=guest when=request tsc=50 guest=a exits=1\n"
                        f"{HEAD} exits=2\n"
                        "TWINMON-STATS v=1 scope=guest when=end tsc=200 guest=a exits=3")
        self.assertEqual([r.get("exits") for r in st.records], [1, 2, 3])
        self.assertEqual([r.get("exits") for r in st.end()], [3])
        self.assertEqual(len(st.select(scope="guest", when="request")), 1)

    def test_other_version_refused(self):
        with self.assertRaises(stats.StatsError) as e:
            self.parse(f"{HEAD} exits=1\nTWINMON-STATS v=2 scope=guest when=end tsc=1 guest=a exits=1")
        self.assertEqual(str(e.exception), "m.log:2: TWINMON-STATS v=2: this reader knows v=1 only "
                                           "(a newer twinmon? update lab/stats.py)")

    def test_malformed_lines_skipped_with_a_warning(self):
        st = self.parse(f"{HEAD} exits=1\n"
                        "TWINMON-STATS v=1 scope=guest when=end guest=a exits=9\n"
                        f"{HEAD} cut-off\n"
                        f"{HEAD} exits=7 switches=4")
        self.assertEqual(st.warnings, [
            "m.log:2: warning: a record starts with v, scope, when, tsc; line skipped",
            "m.log:3: warning: 'cut-off' is not key=value; line skipped",
            "m.log:4: warning: 'exits' again in the record 'v=1 scope=guest when=end tsc=100 guest=a'; "
            "the first value (1) is kept"])
        self.assertEqual(st.records[0].values, {"exits": 1, "switches": 4})
        self.assertEqual(st.records[0].lines, [1, 4])


if __name__ == "__main__":
    unittest.main()
